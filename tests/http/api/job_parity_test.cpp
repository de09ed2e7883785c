// An upload analysed as a job (async=1: the streamed path) stores the same
// analysis as the synchronous upload of the same file (the whole path), for
// every model with weights here: issue 17 item 9 (YAMNet jobs reported twice
// the time, events at twice their time, other top classes).
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "test_paths.h"
#include "test_server.h"

namespace soundlens::test {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr double kTolerance = 1e-4;

json analysis_by_job(httplib::Client& c, const std::string& filename, const std::string& bytes,
                     const std::string& model) {
  auto res = upload(c, "/api/v1/analyses", filename, bytes, {{"async", "1", "", ""}, {"model", model, "", ""}});
  if (!res || res->status != 202) {
    ADD_FAILURE() << "async upload: " << (res ? res->body : "no response");
    return {};
  }
  const std::string id = json_of(res)["job"]["id"];
  const auto until = std::chrono::steady_clock::now() + 600s;
  json job;
  while (std::chrono::steady_clock::now() < until) {
    job = json_of(c.Get(("/api/v1/jobs/" + id).c_str()))["job"];
    if (job["state"] == "done" || job["state"] == "failed" || job["state"] == "cancelled") break;
    std::this_thread::sleep_for(200ms);
  }
  if (job["state"] != "done") {
    ADD_FAILURE() << "job: " << job.dump();
    return {};
  }
  return json_of(c.Get(("/api/v1/analyses/" + job["analysis_id"].get<std::string>()).c_str()));
}

json analysis_now(httplib::Client& c, const std::string& filename, const std::string& bytes, const std::string& model) {
  auto res = upload(c, "/api/v1/analyses", filename, bytes, {{"model", model, "", ""}});
  if (!res || res->status != 201) {
    ADD_FAILURE() << "synchronous upload: " << (res ? res->body.substr(0, 300) : "no response");
    return {};
  }
  return json_of(res);
}

void expect_near_predictions(const json& got, const json& want, const std::string& where) {
  ASSERT_EQ(got.size(), want.size()) << where;
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i]["label"], want[i]["label"]) << where << " #" << i;
    EXPECT_NEAR(got[i]["probability"].get<double>(), want[i]["probability"].get<double>(), kTolerance)
        << where << " #" << i;
  }
}

void expect_same(const json& job, const json& sync) {
  ASSERT_FALSE(job.is_null());
  ASSERT_FALSE(sync.is_null());
  EXPECT_EQ(job["model"], sync["model"]);
  EXPECT_NEAR(job["duration_s"].get<double>(), sync["duration_s"].get<double>(), 1e-6);
  EXPECT_NEAR(job["duration_s"].get<double>(), job["audio"]["duration_s"].get<double>(), 0.05);
  expect_near_predictions(job["predictions"], sync["predictions"], "predictions");
  ASSERT_EQ(job["timeline"].size(), sync["timeline"].size());
  for (std::size_t i = 0; i < sync["timeline"].size(); ++i) {
    const auto &g = job["timeline"][i], &w = sync["timeline"][i];
    const std::string where = "window " + std::to_string(i);
    EXPECT_NEAR(g["start_s"].get<double>(), w["start_s"].get<double>(), 1e-6) << where;
    EXPECT_NEAR(g["end_s"].get<double>(), w["end_s"].get<double>(), 1e-6) << where;
    expect_near_predictions(g["predictions"], w["predictions"], where);
  }
  EXPECT_EQ(job["events"], sync["events"]);
  EXPECT_EQ(job["event_counts"], sync["event_counts"]);
  EXPECT_EQ(job["quality"], sync["quality"]);
  ASSERT_EQ(job["explanations"].size(), sync["explanations"].size());
  for (std::size_t i = 0; i < sync["explanations"].size(); ++i) {
    const auto &g = job["explanations"][i], &w = sync["explanations"][i];
    EXPECT_EQ(g["label"], w["label"]) << "explanation " << i;
    EXPECT_EQ(g["cols"], w["cols"]) << "explanation " << i;
    EXPECT_EQ(g["rows"], w["rows"]) << "explanation " << i;
  }
}

class JobParity : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() { server_ = new TestServer(); }  // uploads are synchronous unless async=1
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static TestServer* server_;
};
TestServer* JobParity::server_ = nullptr;

TEST_P(JobParity, TheMetroClipAsAJobEqualsItsSynchronousAnalysis) {
  auto c = server_->client();
  c.set_read_timeout(300, 0);
  const std::string bytes = read_file(shared_audio("example/metro_station-paris.wav"));
  const json job = analysis_by_job(c, "metro.wav", bytes, GetParam());
  const json sync = analysis_now(c, "metro.wav", bytes, GetParam());
  expect_same(job, sync);
  EXPECT_NEAR(job["duration_s"].get<double>(), 10.0, 1e-6);
}

TEST_P(JobParity, NinetySecondsOfRealClipsAsAJobEqualTheirSynchronousAnalysis) {
  auto c = server_->client();
  c.set_read_timeout(600, 0);
  const std::string bytes = read_file(shared_audio("awkward/04_long_90s_concat.wav"));
  const json job = analysis_by_job(c, "long.wav", bytes, GetParam());
  const json sync = analysis_now(c, "long.wav", bytes, GetParam());
  expect_same(job, sync);
  EXPECT_NEAR(job["duration_s"].get<double>(), 90.0, 0.01);
  for (const auto& e : job["events"]) EXPECT_LE(e["offset_s"].get<double>(), 90.01) << e.dump();
}

INSTANTIATE_TEST_SUITE_P(ModelsWithWeights, JobParity, ::testing::Values("mn04_as", "yamnet"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace soundlens::test
