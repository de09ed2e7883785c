// Explanations computed on request (issue 17, item 8): an abandoned request
// stops its work and frees its slot; identical requests in flight compute
// once, and the work goes on while one of their clients still waits; a
// request whose cost is beyond the budget is refused at once, naming the
// limit; uploads, listings and a 415 never wait behind explanations.
// Real server, real model, real audio.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "raw_client.h"
#include "test_paths.h"
#include "test_server.h"

namespace soundlens::test {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

const std::string metro = "example/metro_station-paris.wav";
const std::string long_90s = "awkward/04_long_90s_concat.wav";  // 17 windows: occlusion takes many minutes

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

std::string analysed(TestServer& server, const std::string& audio) {
  auto c = server.client();
  c.set_read_timeout(300, 0);
  auto res = upload(c, "/api/v1/analyses", "recording.wav", read_file(shared_audio(audio)));
  EXPECT_TRUE(res && res->status == 201) << (res ? res->body : httplib::to_string(res.error()));
  return json_of(res)["id"];
}

std::string explanation(const std::string& id, const std::string& query) {
  return "/api/v1/analyses/" + id + "/explanation?" + query;
}

// A request on a connection of its own, which the test closes (the client gives up) by destroying it.
std::unique_ptr<RawConnection> started(const TestServer& server, const std::string& target) {
  auto connection = std::make_unique<RawConnection>(server.port());
  EXPECT_TRUE(connection->send("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  return connection;
}

TEST(ExplanationWork, AnAbandonedOcclusionStopsAndFreesItsSlotWithinSeconds) {
  TestServer server({.explain_slots = 1, .explain_queue_size = 0, .explain_budget_s = 1e12});
  const std::string id = analysed(server, long_90s);
  const std::string other = explanation(id, "class=1&method=gradcam&faithfulness=0");
  auto c = server.client();
  c.set_read_timeout(120, 0);
  auto abandoned = started(server, explanation(id, "class=0&method=occlusion&faithfulness=0"));
  std::this_thread::sleep_for(1s);
  // The occlusion holds the one explanation slot, and nobody may wait: another explanation is refused.
  auto busy = c.Get(other.c_str());
  expect_error(busy, 503, "busy");
  EXPECT_EQ(busy->get_header_value("Retry-After"), "10");
  EXPECT_NE(json_of(busy)["error"]["message"].get<std::string>().find("1 explanations running"), std::string::npos)
      << busy->body;
  EXPECT_FALSE(abandoned->readable(0ms)) << "the occlusion was answered already: the test shows nothing";

  abandoned.reset();  // the client gives up after 1 s
  const auto gone_at = Clock::now();
  int status = 0;
  double freed_after_s = 0;
  while (seconds_since(gone_at) < 60) {
    freed_after_s = seconds_since(gone_at);
    auto res = c.Get(other.c_str());
    ASSERT_TRUE(res);
    status = res->status;
    if (status != 503) break;
    std::this_thread::sleep_for(200ms);
  }
  EXPECT_EQ(status, 200) << "the abandoned occlusion still holds the slot after 60 s";
  EXPECT_LT(freed_after_s, 8.0) << "the abandoned occlusion took that long to stop";
}

TEST(ExplanationWork, IdenticalRequestsInFlightComputeOnceAndOutliveTheirFirstClient) {
  TestServer server({.explain_slots = 1, .explain_queue_size = 0, .explain_budget_s = 1e12});
  // 10 s: occlusion takes tens of seconds even on an idle machine, so the requests below meet it running.
  const std::string id = analysed(server, "example/metro_station-paris.wav");
  const std::string same = explanation(id, "class=0&method=occlusion&faithfulness=0");
  auto first = started(server, same);  // starts the work, then gives up
  std::this_thread::sleep_for(1s);
  const auto get = [&] {
    auto c = server.client();
    c.set_read_timeout(600, 0);
    return c.Get(same.c_str());
  };
  auto second = std::async(std::launch::async, get);
  auto third = std::async(std::launch::async, get);
  std::this_thread::sleep_for(1s);
  // One slot, no queue: a different explanation is refused, so the two above got no slot of their own.
  auto c = server.client();
  expect_error(c.Get(explanation(id, "class=1&method=gradcam&faithfulness=0").c_str()), 503, "busy");
  ASSERT_EQ(second.wait_for(0s), std::future_status::timeout) << "answered already: the test shows nothing";
  first.reset();  // the first client leaves; the others still wait, so the work goes on

  const auto a = second.get(), b = third.get();
  ASSERT_TRUE(a && b);
  ASSERT_EQ(a->status, 200) << a->body;
  ASSERT_EQ(b->status, 200) << b->body;
  EXPECT_EQ(a->body, b->body);
  EXPECT_EQ(json_of(a)["method"], "occlusion");
  EXPECT_FALSE(json_of(a)["map"].empty());
}

TEST(ExplanationWork, BeyondTheBudgetIsRefusedAtOnceNamingTheLimit) {
  TestServer server;  // the default budget, as `serve`
  const std::string id = analysed(server, long_90s);
  auto c = server.client();
  for (const std::string route : {"/explanation?class=0&method=occlusion",
                                  "/explanation?class=0&method=integrated-gradients&faithfulness=0",
                                  "/explanation.wav?class=0&method=occlusion", "/explanation?method=occlusion"}) {
    const auto t0 = Clock::now();
    auto res = c.Get(("/api/v1/analyses/" + id + route).c_str());
    expect_error(res, 422, "too_long");
    EXPECT_LT(seconds_since(t0), 2.0) << route;
    const std::string message = json_of(res)["error"]["message"];
    EXPECT_NE(message.find("--explain-budget-s"), std::string::npos) << message;
    EXPECT_NE(message.find("30,000"), std::string::npos) << message;
    EXPECT_NE(message.find("90 s recording"), std::string::npos) << message;
  }
  // A cheap method on the same recording is served.
  auto gradcam = c.Get(explanation(id, "class=0&method=gradcam&faithfulness=0").c_str());
  ASSERT_TRUE(gradcam);
  EXPECT_EQ(gradcam->status, 200) << gradcam->body;
}

// An upload asking for an explanation beyond the budget runs as a job (followed, cancellable) instead of
// holding an analysis slot while its client waits; cancelled, it stops within a batch of passes.
TEST(ExplanationWork, AnUploadBeyondTheBudgetRunsAsAJobThatStopsWhenCancelled) {
  TestServer server({.max_concurrent = 1});
  auto c = server.client();
  c.set_read_timeout(300, 0);
  auto res = upload(c, "/api/v1/analyses", "long.wav", read_file(shared_audio(long_90s)),
                    {{"method", "occlusion", "", ""}, {"top_k", "1", "", ""}});
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 202) << res->body.substr(0, 400);
  const std::string job = json_of(res)["job"]["id"];
  // Into its explanation stage (past the windows), then cancelled.
  const auto t0 = Clock::now();
  std::string stage;
  while (seconds_since(t0) < 120 && stage != "explain") {
    const auto now = json_of(c.Get(("/api/v1/jobs/" + job).c_str()))["job"]["stage"];
    stage = now.is_string() ? now.get<std::string>() : "";  // null while queued
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(stage, "explain");
  std::this_thread::sleep_for(1s);
  ASSERT_EQ(c.Delete(("/api/v1/jobs/" + job).c_str())->status, 200);
  // Its one analysis slot is free again within seconds: a 10 s upload is analysed.
  const auto cancelled_at = Clock::now();
  auto ten_seconds = upload(c, "/api/v1/analyses", "metro.wav", read_file(shared_audio(metro)));
  ASSERT_TRUE(ten_seconds);
  EXPECT_EQ(ten_seconds->status, 201) << ten_seconds->body.substr(0, 400);
  EXPECT_LT(seconds_since(cancelled_at), 15.0) << "the cancelled occlusion kept the slot";
}

TEST(ExplanationWork, UploadsListingsAnd415DoNotWaitBehindTwoExplanations) {
  TestServer server({.explain_slots = 2, .explain_queue_size = 0, .explain_budget_s = 1e12});
  const std::string id = analysed(server, long_90s);
  auto one = started(server, explanation(id, "class=0&method=occlusion&faithfulness=0"));
  auto two = started(server, explanation(id, "class=1&method=occlusion&faithfulness=0"));
  std::this_thread::sleep_for(1500ms);
  auto c = server.client();
  c.set_read_timeout(120, 0);
  // Both slots are computing.
  expect_error(c.Get(explanation(id, "class=2&method=gradcam&faithfulness=0").c_str()), 503, "busy");

  auto t0 = Clock::now();
  expect_error(upload(c, "/api/v1/analyses", "notes.txt", "this is not audio, just some text\n"), 415,
               "unsupported_format");
  EXPECT_LT(seconds_since(t0), 3.0) << "the 415 waited";
  t0 = Clock::now();
  auto listing = c.Get("/api/v1/analyses");
  ASSERT_TRUE(listing);
  EXPECT_EQ(listing->status, 200);
  EXPECT_LT(seconds_since(t0), 3.0) << "the listing waited";
  t0 = Clock::now();
  auto ten_seconds = upload(c, "/api/v1/analyses", "metro.wav", read_file(shared_audio(metro)));
  ASSERT_TRUE(ten_seconds);
  EXPECT_EQ(ten_seconds->status, 201) << ten_seconds->body;
  EXPECT_LT(seconds_since(t0), 30.0) << "the 10 s upload waited";
  EXPECT_FALSE(one->readable(0ms) || two->readable(0ms)) << "an occlusion was answered: the test shows nothing";
}

// The cache keys carry the explanations' version: an explanation cached by an older soundlens under
// the key it used then (no version) is computed again, not served.
TEST(ExplanationCache, AnExplanationCachedWithoutAVersionIsNotServed) {
  TestServer server;
  const std::string id = analysed(server, "cough/063900f6-c03b-4ffb-b51b-877b6b5a74d5.flac");
  const auto dir = server.data_dir() / "data" / "cache" / id;
  std::filesystem::create_directories(dir);
  for (const auto* old_key : {"explanation-47-gradcam-f.json", "explanation-47-gradcam.json"})
    std::ofstream(dir / old_key) << R"({"stale": true})";
  auto c = server.client();
  c.set_read_timeout(120, 0);
  auto res = c.Get(explanation(id, "class=47&method=gradcam").c_str());
  ASSERT_TRUE(res && res->status == 200) << (res ? res->body : httplib::to_string(res.error()));
  const auto body = json_of(res);
  EXPECT_FALSE(body.contains("stale")) << "the unversioned cache entry was served";
  EXPECT_TRUE(body.contains("faithfulness")) << res->body.substr(0, 300);
  bool versioned = false;
  for (const auto& f : std::filesystem::directory_iterator(dir))
    versioned = versioned || f.path().filename().string().starts_with("explanation-v");
  std::string names;
  for (const auto& f : std::filesystem::directory_iterator(dir)) names += f.path().filename().string() + " ";
  EXPECT_TRUE(versioned) << "no versioned key was written: " << names;
}

// The longest keys (integrated gradients against a contrast class, with the sanity check) still fit the
// cache: the request is answered and cached, not refused with a 500.
TEST(ExplanationCache, TheLongestKeyIsCached) {
  TestServer server;
  const std::string id = analysed(server, "cough/063900f6-c03b-4ffb-b51b-877b6b5a74d5.flac");
  auto c = server.client();
  c.set_read_timeout(300, 0);
  const auto target = explanation(id, "class=526&method=integrated-gradients&contrast=48&sanity=1&listen=1");
  auto res = c.Get(target.c_str());
  ASSERT_TRUE(res && res->status == 200) << (res ? res->body.substr(0, 300) : httplib::to_string(res.error()));
  std::size_t files = 0;
  for (const auto& f : std::filesystem::directory_iterator(server.data_dir() / "data" / "cache" / id))
    files += f.path().filename().string().starts_with("explanation-v") ? 1 : 0;
  EXPECT_EQ(files, 1u);
}

}  // namespace
}  // namespace soundlens::test
