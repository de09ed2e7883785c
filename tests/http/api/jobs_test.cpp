// Jobs with progress: async uploads, long uploads as jobs, GET, the SSE
// stream, cancellation, hostile ids, and a job that survives a SIGKILL of
// the real server.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <set>
#include <thread>

#include "serve_child.h"
#include "test_paths.h"
#include "test_server.h"

namespace soundlens::test {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using namespace std::chrono_literals;

const std::string metro = "example/metro_station-paris.wav";
const std::string long90 = "awkward/04_long_90s_concat.wav";

// A longer real recording: the 90 s file's PCM data `times` over, in one WAV.
std::string repeated_wav(const std::string& wav, int times) {
  const auto data_at = wav.find("data");
  if (data_at == std::string::npos || data_at + 8 > wav.size()) throw std::runtime_error("not a simple WAV");
  const std::string head = wav.substr(12, data_at - 12);  // the chunks before "data" (fmt)
  const std::string pcm = wav.substr(data_at + 8);
  std::string body;
  for (int i = 0; i < times; ++i) body += pcm;
  const auto le32 = [](std::uint32_t v) { return std::string(reinterpret_cast<const char*>(&v), 4); };
  return "RIFF" + le32(std::uint32_t(4 + head.size() + 8 + body.size())) + "WAVE" + head + "data" +
         le32(std::uint32_t(body.size())) + body;
}

json job_of(const httplib::Result& res) { return json_of(res).at("job"); }

// Polls until the job is final (or the time is up); returns the last job seen.
json poll_until_final(httplib::Client& c, const std::string& id, std::chrono::seconds limit = 300s) {
  const auto until = std::chrono::steady_clock::now() + limit;
  json job;
  while (std::chrono::steady_clock::now() < until) {
    auto res = c.Get(("/api/v1/jobs/" + id).c_str());
    if (res && res->status == 200) {
      job = job_of(res);
      const std::string state = job["state"];
      if (state == "done" || state == "failed" || state == "cancelled") return job;
    }
    std::this_thread::sleep_for(200ms);
  }
  return job;
}

// Polls until the job runs and has made some progress.
json poll_until_running(httplib::Client& c, const std::string& id, double min_progress) {
  const auto until = std::chrono::steady_clock::now() + 120s;
  json job;
  while (std::chrono::steady_clock::now() < until) {
    auto res = c.Get(("/api/v1/jobs/" + id).c_str());
    if (res && res->status == 200) {
      job = job_of(res);
      if (job["state"] != "queued" && job["state"] != "running") return job;
      if (job["state"] == "running" && job["progress"].get<double>() >= min_progress) return job;
    }
    std::this_thread::sleep_for(50ms);
  }
  return job;
}

void expect_job_shape(const json& job) {
  for (const char* key : {"id", "state", "stage", "progress", "eta_s", "analysis_id", "error"})
    EXPECT_TRUE(job.contains(key)) << key << " missing in " << job.dump();
  EXPECT_EQ(job["id"].get<std::string>().size(), 32u);
  const double p = job["progress"];
  EXPECT_GE(p, 0.0);
  EXPECT_LE(p, 1.0);
}

std::set<std::string> keys_of(const json& object) {
  std::set<std::string> keys;
  for (const auto& [key, value] : object.items()) keys.insert(key);
  return keys;
}

long total_analyses(httplib::Client& c) { return json_of(c.Get("/api/v1/analyses?limit=1"))["total"]; }

class JobsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    TestServerOptions options;
    options.async_over_s = 30;
    server_ = new TestServer(options);
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static TestServer* server_;
};
TestServer* JobsTest::server_ = nullptr;

TEST_F(JobsTest, AsyncUploadIsAJobWhoseAnalysisHasTheShapeOfASyncOne) {
  auto c = server_->client();
  const std::string bytes = read_file(shared_audio(metro));
  auto res = upload(c, "/api/v1/analyses", "metro.wav", bytes, {{"async", "1", "", ""}});
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 202) << res->body;
  const json job = job_of(res);
  expect_job_shape(job);
  const std::string id = job["id"];
  EXPECT_EQ(res->get_header_value("Location"), "/api/v1/jobs/" + id);
  EXPECT_TRUE(job["state"] == "queued" || job["state"] == "running") << job.dump();

  const json done = poll_until_final(c, id);
  ASSERT_EQ(done["state"], "done") << done.dump();
  expect_job_shape(done);
  EXPECT_EQ(done["progress"], 1.0);
  EXPECT_TRUE(done["error"].is_null());
  const std::string analysis_id = done["analysis_id"];
  auto stored = c.Get(("/api/v1/analyses/" + analysis_id).c_str());
  ASSERT_TRUE(stored);
  ASSERT_EQ(stored->status, 200);
  const json from_job = json_of(stored);

  auto sync = upload(c, "/api/v1/analyses", "metro.wav", bytes);
  ASSERT_TRUE(sync);
  ASSERT_EQ(sync->status, 201) << sync->body;  // short and not async: synchronous as before
  const json direct = json_of(sync);
  EXPECT_EQ(keys_of(from_job), keys_of(direct));
  EXPECT_EQ(from_job["filename"], "metro.wav");
  EXPECT_EQ(from_job["predictions"], direct["predictions"]);  // the same analysis, not just the same keys
  EXPECT_EQ(from_job["events"], direct["events"]);
  ASSERT_EQ(from_job["explanations"].size(), direct["explanations"].size());
}

TEST_F(JobsTest, AnUploadLongerThanAsyncOverSIsAJob) {
  auto c = server_->client();
  auto res = upload(c, "/api/v1/analyses", "long.wav", read_file(shared_audio(long90)));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 202) << res->body.substr(0, 300);
  const json done = poll_until_final(c, job_of(res)["id"]);
  ASSERT_EQ(done["state"], "done") << done.dump();
  const json a = json_of(c.Get(("/api/v1/analyses/" + done["analysis_id"].get<std::string>()).c_str()));
  EXPECT_NEAR(a["duration_s"].get<double>(), 90.0, 0.1);
  EXPECT_EQ(a["filename"], "long.wav");
}

TEST_F(JobsTest, TheEventStreamShowsIncreasingProgressThenDone) {
  auto c = server_->client();
  auto res = upload(c, "/api/v1/analyses", "long.wav", read_file(shared_audio(long90)),
                    {{"async", "1", "", ""}, {"hop_s", "2", "", ""}});
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 202) << res->body;
  const std::string id = job_of(res)["id"];

  httplib::Client stream("127.0.0.1", server_->port());
  stream.set_read_timeout(60, 0);
  std::string buffer, content_type;
  std::vector<json> events;
  std::vector<std::chrono::steady_clock::time_point> arrivals;
  auto got = stream.Get(
      ("/api/v1/jobs/" + id + "/events").c_str(),
      [&](const httplib::Response& r) {
        content_type = r.get_header_value("Content-Type");
        return r.status == 200;
      },
      [&](const char* data, std::size_t n) {
        buffer.append(data, n);
        for (auto end = buffer.find("\n\n"); end != std::string::npos; end = buffer.find("\n\n")) {
          const std::string event = buffer.substr(0, end);
          buffer.erase(0, end + 2);
          if (event.rfind("data: ", 0) == 0) {
            events.push_back(json::parse(event.substr(6)));
            arrivals.push_back(std::chrono::steady_clock::now());
          }
        }
        return true;
      });
  ASSERT_TRUE(got) << httplib::to_string(got.error());
  EXPECT_EQ(got->status, 200);
  EXPECT_EQ(content_type.rfind("text/event-stream", 0), 0u) << content_type;
  ASSERT_GE(events.size(), 3u);
  double last = -1;
  std::set<double> distinct;
  for (const auto& e : events) {
    expect_job_shape(e);
    EXPECT_EQ(e["id"], id);
    const double p = e["progress"];
    EXPECT_GE(p, last) << "progress went back: " << e.dump();
    last = p;
    if (e["state"] == "running") distinct.insert(p);
  }
  EXPECT_GE(distinct.size(), 3u) << "the stream should show the progress growing";
  EXPECT_EQ(events.back()["state"], "done") << events.back().dump();
  // Streamed as they happen, not all at once at the end.
  EXPECT_GT(arrivals.back() - arrivals.front(), 200ms);
  bool had_eta = false;
  for (const auto& e : events) had_eta = had_eta || (e["state"] == "running" && e["eta_s"].is_number());
  EXPECT_TRUE(had_eta);
}

TEST_F(JobsTest, CancellingARunningJobStoresNothing) {
  auto c = server_->client();
  const long before = total_analyses(c);
  auto res = upload(c, "/api/v1/analyses", "long.wav", repeated_wav(read_file(shared_audio(long90)), 4),
                    {{"async", "1", "", ""}, {"hop_s", "1", "", ""}});
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 202) << res->body;
  const std::string id = job_of(res)["id"];
  const json running = poll_until_running(c, id, 0.05);
  ASSERT_EQ(running["state"], "running") << running.dump();
  auto cancelled = c.Delete(("/api/v1/jobs/" + id).c_str());
  ASSERT_TRUE(cancelled);
  ASSERT_EQ(cancelled->status, 200) << cancelled->body;
  EXPECT_EQ(job_of(cancelled)["state"], "cancelled") << cancelled->body;
  const json after = poll_until_final(c, id, 30s);
  EXPECT_EQ(after["state"], "cancelled");
  EXPECT_TRUE(after["analysis_id"].is_null());
  EXPECT_EQ(total_analyses(c), before);
  EXPECT_FALSE(fs::exists(server_->data_dir() / "data" / "jobs" / id)) << "the upload is kept after the end";
}

TEST_F(JobsTest, AQueuedJobCancelledNeverRuns) {
  // One analysis slot, busy with a long job: the second job waits in the queue.
  TestServerOptions options;
  options.max_concurrent = 1;
  TestServer server(options);
  auto c = server.client();
  auto first = upload(c, "/api/v1/analyses", "a.wav", read_file(shared_audio(long90)), {{"async", "1", "", ""}});
  auto second = upload(c, "/api/v1/analyses", "b.wav", read_file(shared_audio(metro)), {{"async", "1", "", ""}});
  ASSERT_TRUE(first && second);
  ASSERT_EQ(second->status, 202);
  const std::string id = job_of(second)["id"];
  auto res = c.Delete(("/api/v1/jobs/" + id).c_str());
  ASSERT_TRUE(res);
  EXPECT_EQ(job_of(res)["state"], "cancelled");
  EXPECT_EQ(poll_until_final(c, job_of(first)["id"])["state"], "done");
  const json job = job_of(c.Get(("/api/v1/jobs/" + id).c_str()));
  EXPECT_EQ(job["state"], "cancelled");
  EXPECT_TRUE(job["stage"].is_null()) << "it never started: " << job.dump();
  EXPECT_EQ(total_analyses(c), 1);
}

TEST_F(JobsTest, UnknownAndHostileIdsAre404Or400) {
  auto c = server_->client();
  for (const std::string path :
       {"/api/v1/jobs/00000000000000000000000000000000", "/api/v1/jobs/00000000000000000000000000000000/events",
        "/api/v1/jobs/not-an-id", "/api/v1/jobs/..%2F..%2Fsoundlens.db", "/api/v1/jobs/%2e%2e",
        "/api/v1/jobs/../analyses"}) {
    auto res = c.Get(path.c_str());
    ASSERT_TRUE(res) << path;
    EXPECT_TRUE(res->status == 404 || res->status == 400) << path << " -> " << res->status;
    expect_error(res, res->status);
  }
  auto del = c.Delete("/api/v1/jobs/00000000000000000000000000000000");
  ASSERT_TRUE(del);
  expect_error(del, 404, "not_found");
  // A 4 KB id is looked up like any other (and not echoed); a 10 KB one is longer than a request line may be.
  auto long_id = c.Get(("/api/v1/jobs/" + std::string(4096, 'a')).c_str());
  ASSERT_TRUE(long_id);
  expect_error(long_id, 404, "not_found");
  EXPECT_LT(long_id->body.size(), 300u);
  auto huge_id = c.Get(("/api/v1/jobs/" + std::string(10240, 'a')).c_str());
  ASSERT_TRUE(huge_id);
  EXPECT_TRUE(huge_id->status == 400 || huge_id->status == 404 || huge_id->status == 414) << huge_id->status;
  expect_error(huge_id, huge_id->status);
  auto bad_async = upload(c, "/api/v1/analyses", "metro.wav", read_file(shared_audio(metro)), {{"async", "yes", "", ""}});
  expect_error(bad_async, 400, "bad_request");
}

TEST_F(JobsTest, TheJobRoutesAreInOpenApi) {
  auto c = server_->client();
  const json doc = json_of(c.Get("/openapi.json"));
  ASSERT_TRUE(doc["paths"].contains("/api/v1/jobs/{id}/events"));
  EXPECT_TRUE(doc["paths"]["/api/v1/jobs/{id}/events"]["get"]["responses"]["200"]["content"].contains(
      "text/event-stream"));
  EXPECT_TRUE(doc["paths"]["/api/v1/jobs/{id}"].contains("delete"));
  EXPECT_TRUE(doc["paths"]["/api/v1/analyses"]["post"]["responses"].contains("202"));
  bool has_async = false;
  for (const auto& [name, schema] :
       doc["paths"]["/api/v1/analyses"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
          ["properties"].items())
    has_async = has_async || name == "async";
  EXPECT_TRUE(has_async);
}

// The real program: SIGKILLed in the middle of a job, started again on the
// same data directory, it runs the job to the end, and stores one analysis.
TEST(JobsProcess, AJobRunningWhenTheServerIsKilledFinishesAfterARestart) {
  const fs::path dir = fs::temp_directory_path() / ("soundlens-jobs-restart-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const std::vector<std::string> args{"--data-dir", dir.string(), "--model-dir", models_dir(), "--log-format",
                                      "off", "--async-over-s", "30"};
  std::string id;
  {
    ServeChild first(soundlens_binary(), args);
    auto c = first.client();
    auto res = upload(c, "/api/v1/analyses", "long.wav", repeated_wav(read_file(shared_audio(long90)), 3),
                      {{"hop_s", "1", "", ""}});
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 202) << res->body;
    id = job_of(res)["id"];
    const json running = poll_until_running(c, id, 0.05);
    ASSERT_EQ(running["state"], "running") << running.dump();
    first.signal_and_wait(SIGKILL);
  }
  ServeChild second(soundlens_binary(), args);
  auto c = second.client();
  const json done = poll_until_final(c, id);
  ASSERT_EQ(done["state"], "done") << done.dump();
  const json page = json_of(c.Get("/api/v1/analyses?limit=10"));
  EXPECT_EQ(page["total"], 1) << page.dump();
  EXPECT_EQ(page["items"][0]["id"], done["analysis_id"]);
  EXPECT_TRUE(fs::is_empty(dir / "jobs")) << "the finished job's upload is removed";
  second.signal_and_wait(SIGTERM);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace soundlens::test
