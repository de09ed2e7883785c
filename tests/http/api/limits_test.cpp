// Limits and failure modes: model not loaded, size and duration limits,
// a full analysis queue under 16 simultaneous uploads, a stop before the
// server runs.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "http/api/route_table.h"
#include "http/server/request_log.h"
#include "test_paths.h"
#include "test_server.h"

namespace soundlens::test {
namespace {

const std::string metro = "example/metro_station-paris.wav";

// A SIGTERM or a failed model load can stop the server before run() starts.
TEST(Limits, StopBeforeRunMakesRunReturnAtOnce) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("soundlens-stop-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  {
    http::ServiceConfig config;
    config.model_name = "mn04_as";
    http::Service service(config, open_sqlite_store(dir.string()));
    http::ServerOptions options;
    options.port = 0;
    options.log_format = http::LogFormat::off;
    http::HttpServer server(options, http::route_table(), service.handlers());
    server.bind();
    server.stop();
    auto running = std::async(std::launch::async, [&] { server.run(); });
    const bool returned = running.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
    EXPECT_TRUE(returned) << "run() kept serving after stop()";
    if (!returned) server.stop();  // now it is listening, so this one takes effect
  }
  fs::remove_all(dir);
}

// The logger runs outside the route's error funnel: a throw there ends the process.
TEST(Limits, RequestLogTakesPathsThatAreNotUtf8) {
  EXPECT_NO_THROW(http::write_log_line(http::LogFormat::json, {"GET", "/api/v1/no\xE9where", 404, 1.0, ""}));
  EXPECT_NO_THROW(http::write_log_line(http::LogFormat::text, {"GET", "/api/v1/no\xE9where", 404, 1.0, ""}));
}

TEST(Limits, UntilTheModelIsLoadedHealthAndAnalysesAre503) {
  TestServer server({.load_model = false});
  auto c = server.client();
  auto health = c.Get("/health");
  expect_error(health, 503, "model_not_loaded");
  EXPECT_EQ(json_of(health)["model_loaded"], false);
  auto res = upload(c, "/api/v1/analyses", "metro.wav", read_file(shared_audio(metro)));
  expect_error(res, 503, "model_not_loaded");
  EXPECT_TRUE(res->has_header("Retry-After"));
  expect_error(upload(c, "/analyze_audio", "metro.wav", read_file(shared_audio(metro))), 503, "model_not_loaded");
  EXPECT_EQ(c.Get("/openapi.json")->status, 200);  // the rest keeps working
  EXPECT_EQ(server.stored_audio_files(), 0u);
}

TEST(Limits, UploadOverTheSizeLimitIs413) {
  TestServer server({.max_upload_bytes = 1u << 20});
  auto c = server.client();
  const std::string big = read_file(shared_audio("awkward/04_long_90s_concat.wav"));
  ASSERT_GT(big.size(), 2u << 20);
  expect_error(upload(c, "/api/v1/analyses", "big.wav", big), 413, "too_large");
  // Between the file limit and the envelope allowance: checked by the service itself.
  expect_error(upload(c, "/api/v1/analyses", "big.wav", big.substr(0, (1u << 20) + 1000)), 413, "too_large");
  EXPECT_EQ(c.Get("/health")->status, 200);
  EXPECT_EQ(server.stored_audio_files(), 0u);
}

TEST(Limits, RecordingOverTheDurationLimitIs422TooLong) {
  TestServer server({.max_duration_s = 7});
  auto c = server.client();
  expect_error(upload(c, "/api/v1/analyses", "metro.wav", read_file(shared_audio(metro))), 422, "too_long");
  auto shorter = upload(c, "/api/v1/analyses", "esc.flac", read_file(shared_audio("esc50-sample/2-103426-A-3.flac")));
  ASSERT_TRUE(shorter);
  EXPECT_EQ(shorter->status, 201) << shorter->body;  // 5 s: within the limit
  EXPECT_EQ(server.stored_audio_files(), 1u);
}

TEST(Limits, SixteenSimultaneousUploadsAreStoredOnceOrRefusedWithRetryAfter) {
  TestServer server({.max_concurrent = 1, .queue_size = 2});
  const std::string wav = read_file(shared_audio(metro));
  std::mutex mutex;
  std::multiset<std::string> ids;
  int created = 0, refused = 0, other = 0;
  std::vector<std::thread> clients;
  for (int i = 0; i < 16; ++i)
    clients.emplace_back([&] {
      auto c = server.client();
      auto res = upload(c, "/api/v1/analyses", "metro.wav", wav, {{"top_k", "1", "", ""}});
      std::lock_guard lock(mutex);
      if (res && res->status == 201) {
        ++created;
        ids.insert(json_of(res)["id"].get<std::string>());
      } else if (res && res->status == 503 && res->has_header("Retry-After") &&
                 json_of(res)["error"]["code"] == "busy") {
        ++refused;
      } else {
        ++other;
      }
    });
  for (auto& t : clients) t.join();
  EXPECT_EQ(other, 0);
  EXPECT_EQ(created + refused, 16);
  EXPECT_GE(created, 3);  // one running and two queued always get through
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
  auto c = server.client();
  EXPECT_EQ(json_of(c.Get("/api/v1/analyses?limit=100"))["total"], created);
  EXPECT_EQ(server.stored_audio_files(), std::size_t(created));
}

}  // namespace
}  // namespace soundlens::test
