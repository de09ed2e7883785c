// What an analysis job does, without a server: a job's stored request (the
// typed layout, and the form fields an older soundlens stored) run by the
// JobRunner through the service's work, on real audio with the real model,
// to a stored analysis made with the options it asked for.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "model/model_registry.h"
#include "service/job_work.h"
#include "storage/analysis_store.h"
#include "storage/job_store.h"
#include "test_paths.h"

namespace soundlens::service {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

class JobWorkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("soundlens-job-work-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    analyses_ = open_sqlite_store(dir_.string());
    jobs_ = open_sqlite_jobs(dir_.string());
    PipelineSettings settings{.model_name = "mn04_as", .model_search_path = {test::models_dir()}};
    pipeline_ = std::make_shared<AnalysisPipeline>(settings, analyses_);
    pipeline_->models().set_default(std::make_shared<Analyzer>(load_model("mn04_as", {test::models_dir()}),
                                                               load_labels({test::models_dir()})));
    std::ifstream in(test::shared_audio("example/metro_station-paris.wav"), std::ios::binary);
    upload_.assign(std::istreambuf_iterator<char>(in), {});
    ASSERT_FALSE(upload_.empty());
  }
  void TearDown() override {
    analyses_.reset();
    jobs_.reset();
    fs::remove_all(dir_);
  }

  // Submits a job stored with `parameters_json` and waits for it to end (seen: every state it was seen in).
  JobRecord run(const std::string& parameters_json, std::vector<JobRecord>* seen_states = nullptr) {
    JobRunner runner(jobs_, 1, analysis_job_work(pipeline_, jobs_, nullptr));
    JobRecord job;
    job.filename = "metro.wav";
    job.parameters_json = parameters_json;
    const JobRecord submitted = runner.submit(job, {upload_.data(), upload_.size()});
    std::uint64_t seen = 0;
    const auto until = std::chrono::steady_clock::now() + 300s;
    while (std::chrono::steady_clock::now() < until) {
      const auto snapshot = runner.wait_for_change(submitted.id, seen, 1s);
      if (!snapshot) break;
      seen = snapshot->version;
      if (seen_states) seen_states->push_back(snapshot->job);
      if (is_final_job_state(snapshot->job.state)) return snapshot->job;
    }
    ADD_FAILURE() << "the job did not end";
    return submitted;
  }

  nlohmann::json stored_parameters(const JobRecord& job) {
    EXPECT_EQ(job.state, "done") << job.error_code << ": " << job.error_message;
    const auto stored = analyses_->get(job.analysis_id);
    if (!stored) {
      ADD_FAILURE() << "no analysis " << job.analysis_id;
      return {};
    }
    EXPECT_EQ(stored->filename, "metro.wav");
    return nlohmann::json::parse(stored->parameters_json);
  }

  fs::path dir_;
  std::shared_ptr<AnalysisStore> analyses_;
  std::shared_ptr<JobStore> jobs_;
  std::shared_ptr<AnalysisPipeline> pipeline_;
  std::vector<std::uint8_t> upload_;
};

TEST_F(JobWorkTest, ATypedRequestRunsWithTheOptionsItAsksFor) {
  AnalysisRequest request;
  request.options.top_k = 2;
  request.options.window_s = 8;
  request.options.hop_s = 4;
  request.events.window_s = 3;
  const JobRecord job = run(job_parameters(request));
  const auto parameters = stored_parameters(job);
  EXPECT_EQ(parameters["top_k"], 2);
  EXPECT_EQ(parameters["window_s"], 8);
  EXPECT_EQ(parameters["event_window_s"], 3);
  EXPECT_EQ(parameters["job_id"], job.id);  // how the store finds it again after a crash
  const auto result = nlohmann::json::parse(analyses_->get(job.analysis_id)->result_json);
  EXPECT_EQ(result["predictions"].size(), 2u);
}

// A job accepted by a server that keeps no audio and silences speech, run by a
// worker set up to keep audio and not to redact (this test's pipeline): the
// promise holds. The worker's own promise() is what it would add to its jobs.
TEST_F(JobWorkTest, TheServersPromisedPrivacyHoldsOnAWorkerSetUpOtherwise) {
  AnalysisRequest request;
  request.privacy = {false, RedactionOptions{}};
  const JobRecord job = run(job_parameters(request));
  stored_parameters(job);
  const auto stored = analyses_->get(job.analysis_id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->audio_bytes, 0);
  EXPECT_FALSE(fs::exists(analyses_->audio_path(job.analysis_id).value_or("")));  // the upload never reached the disk
  const auto result = nlohmann::json::parse(stored->result_json);
  EXPECT_EQ(result["audio_stored"], false);
  EXPECT_TRUE(result.contains("redaction")) << "the speech was silenced before the analysis";
  const AnalysisRequest promised = pipeline_->promise(AnalysisRequest{});
  EXPECT_TRUE(promised.privacy.store_audio);
  EXPECT_FALSE(promised.privacy.redact);
}

TEST_F(JobWorkTest, AJobQueuedByAnOlderVersionWithFormFieldsStillRuns) {
  // A row as job_routes.cpp wrote it before the typed request: the upload's form fields, as strings.
  const JobRecord job = run(R"({"top_k": "3", "event_window_s": "2.5", "method": "layercam", "model": ""})");
  const auto parameters = stored_parameters(job);
  EXPECT_EQ(parameters["top_k"], 3);
  EXPECT_EQ(parameters["event_window_s"], 2.5);
  EXPECT_EQ(parameters["method"], "layercam");
  const auto result = nlohmann::json::parse(analyses_->get(job.analysis_id)->result_json);
  EXPECT_EQ(result["predictions"].size(), 3u);
}

TEST_F(JobWorkTest, AStoredRequestThatIsNoLongerValidFailsTheJobNamingTheField) {
  const JobRecord job = run(R"({"version": 1, "options": {"top_k": 0}})");
  EXPECT_EQ(job.state, "failed");
  EXPECT_EQ(job.error_code, "bad_request");
  EXPECT_NE(job.error_message.find("top"), std::string::npos) << job.error_message;
  EXPECT_TRUE(job.analysis_id.empty());
}

// Occlusion of one 10 s window is 1,088 passes: the job's progress moves inside the window (per
// batch of passes), not only once the window is explained.
TEST_F(JobWorkTest, OcclusionReportsProgressInsideItsWindow) {
  AnalysisRequest request;
  request.options.top_k = 1;
  request.options.method = "occlusion";
  std::vector<JobRecord> states;
  const JobRecord job = run(job_parameters(request), &states);
  ASSERT_EQ(job.state, "done") << job.error_code << ": " << job.error_message;
  std::vector<double> inside;  // the explain stage spans 0.45 to 0.55 of the job
  for (const auto& s : states)
    if (s.stage == "explain" && s.progress > 0.4505 && s.progress < 0.5495) inside.push_back(s.progress);
  EXPECT_GE(inside.size(), 5u) << "progress inside the window: " << inside.size() << " of " << states.size();
  EXPECT_TRUE(std::is_sorted(inside.begin(), inside.end()));
}

}  // namespace
}  // namespace soundlens::service
