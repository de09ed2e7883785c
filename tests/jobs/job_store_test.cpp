// The jobs table and the runner without audio: stored jobs survive a reopen,
// a final state drops the upload, the analysis a job stored is found by its
// job id (no analysis twice), and the runner's states, progress, waiting,
// cancellation and shutdown behave as the HTTP layer relies on.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "core/error.h"
#include "jobs/job_runner.h"
#include "storage/analysis_store.h"
#include "storage/sqlite_jobs.h"

namespace fs = std::filesystem;
using namespace soundlens;
using namespace std::chrono_literals;

namespace {

class JobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("soundlens-jobs-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  static std::vector<std::uint8_t> bytes(const std::string& text) { return {text.begin(), text.end()}; }
  static JobRecord fresh(const std::string& name) {
    JobRecord j;
    j.filename = name;
    j.parameters_json = R"({"top_k":"3"})";
    return j;
  }
  fs::path dir_;
};

TEST_F(JobStoreTest, AJobAndItsUploadSurviveAReopenUntilItIsFinal) {
  std::string id;
  {
    auto store = open_sqlite_jobs(dir_.string());
    JobRecord job = store->create(fresh("a.wav"), bytes("RIFF...."));
    id = job.id;
    EXPECT_EQ(id.size(), 32u);
    job.state = "running";
    job.stage = "windows";
    job.progress = 0.25;
    store->update(job);
  }
  auto store = open_sqlite_jobs(dir_.string());
  const auto unfinished = store->unfinished();
  ASSERT_EQ(unfinished.size(), 1u);
  EXPECT_EQ(unfinished[0].id, id);
  EXPECT_EQ(unfinished[0].state, "running");
  EXPECT_DOUBLE_EQ(unfinished[0].progress, 0.25);
  EXPECT_EQ(unfinished[0].parameters_json, R"({"top_k":"3"})");
  EXPECT_EQ(store->read_upload(id), bytes("RIFF...."));
  JobRecord done = unfinished[0];
  done.state = "done";
  done.analysis_id = std::string(32, 'b');
  store->update(done);
  EXPECT_TRUE(store->unfinished().empty());
  EXPECT_FALSE(fs::exists(dir_ / "jobs" / id));
  EXPECT_EQ(store->get(id)->analysis_id, std::string(32, 'b'));
}

TEST_F(JobStoreTest, HostileIdsAreUnknown) {
  auto store = open_sqlite_jobs(dir_.string());
  const std::vector<std::string> hostile{"", "../soundlens.db", std::string(10240, 'a'), std::string(32, 'G'),
                                         "' OR 1=1 --"};
  for (const std::string& id : hostile)
    EXPECT_FALSE(store->get(id)) << id.substr(0, 40);
  EXPECT_THROW(store->read_upload("../soundlens.db"), Error);
}

TEST_F(JobStoreTest, TheAnalysisAJobStoredIsFoundByItsJobId) {
  auto analyses = open_sqlite_store(dir_.string());
  auto store = open_sqlite_jobs(dir_.string());
  const JobRecord job = store->create(fresh("a.wav"), bytes("x"));
  EXPECT_FALSE(store->analysis_of_job(job.id));
  NewAnalysis other{"b.wav", "audio/wav", "mn04_as", R"({"top_k":5})", R"({"predictions":[]})"};
  analyses->insert(other, bytes("y"));
  NewAnalysis mine = other;
  mine.parameters_json = R"({"top_k":5,"job_id":")" + job.id + R"("})";
  const StoredAnalysis stored = analyses->insert(mine, bytes("x"));
  EXPECT_EQ(store->analysis_of_job(job.id), stored.id);
  EXPECT_FALSE(store->analysis_of_job(std::string(32, 'c')));
}

// A work function that reports progress per step and honours stop requests, as the analysis does.
JobRunner::Work stepping_work(std::atomic<int>& runs, int steps, std::chrono::milliseconds step_time) {
  return [&runs, steps, step_time](const JobRecord&, JobContext& context) -> std::string {
    ++runs;
    for (int i = 0; i < steps; ++i) {
      if (context.stop_requested()) throw Error(ErrorCode::cancelled, "cancelled");
      context.report("windows", double(i) / steps);
      std::this_thread::sleep_for(step_time);
    }
    return std::string(32, 'a');
  };
}

JobRecord wait_final(JobRunner& runner, const std::string& id) {
  std::uint64_t seen = 0;
  for (int i = 0; i < 200; ++i) {
    auto snapshot = runner.wait_for_change(id, seen, 100ms);
    if (!snapshot) break;
    seen = snapshot->version;
    if (is_final_job_state(snapshot->job.state)) return snapshot->job;
  }
  return *runner.get(id);
}

TEST_F(JobStoreTest, TheRunnerReportsProgressAndEndsDone) {
  std::shared_ptr<JobStore> store = open_sqlite_jobs(dir_.string());
  std::atomic<int> runs = 0;
  JobRunner runner(store, 1, stepping_work(runs, 10, 20ms));
  const JobRecord job = runner.submit(fresh("a.wav"), bytes("x"));
  std::uint64_t seen = 0;
  double last = -1;
  int running_updates = 0;
  for (;;) {
    auto snapshot = runner.wait_for_change(job.id, seen, 2s);
    ASSERT_TRUE(snapshot);
    ASSERT_GT(snapshot->version, seen) << "no change within 2 s";
    seen = snapshot->version;
    EXPECT_GE(snapshot->job.progress, last);
    last = snapshot->job.progress;
    if (snapshot->job.state == "running") ++running_updates;
    if (is_final_job_state(snapshot->job.state)) break;
  }
  EXPECT_GE(running_updates, 3);
  const JobRecord done = *runner.get(job.id);
  EXPECT_EQ(done.state, "done");
  EXPECT_EQ(done.analysis_id, std::string(32, 'a'));
  EXPECT_EQ(store->get(job.id)->state, "done");  // persisted
  EXPECT_EQ(runs, 1);
}

TEST_F(JobStoreTest, CancelledJobsStopOrNeverRun) {
  std::shared_ptr<JobStore> store = open_sqlite_jobs(dir_.string());
  std::atomic<int> runs = 0;
  JobRunner runner(store, 1, stepping_work(runs, 200, 10ms));
  const JobRecord running = runner.submit(fresh("a.wav"), bytes("x"));
  const JobRecord queued = runner.submit(fresh("b.wav"), bytes("y"));
  while (runner.get(running.id)->state != "running") std::this_thread::sleep_for(5ms);
  EXPECT_EQ(runner.cancel(queued.id)->state, "cancelled");
  runner.cancel(running.id);
  EXPECT_EQ(wait_final(runner, running.id).state, "cancelled");
  EXPECT_TRUE(wait_final(runner, running.id).analysis_id.empty());
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(runs, 1) << "the queued job ran";
  EXPECT_EQ(store->get(queued.id)->state, "cancelled");
  EXPECT_FALSE(runner.cancel(std::string(32, 'f')));
}

TEST_F(JobStoreTest, AShutdownLeavesTheRunningJobQueuedForTheNextStart) {
  std::shared_ptr<JobStore> store = open_sqlite_jobs(dir_.string());
  std::atomic<int> runs = 0;
  std::string id;
  {
    JobRunner runner(store, 1, stepping_work(runs, 1000, 10ms));
    id = runner.submit(fresh("a.wav"), bytes("x")).id;
    while (runner.get(id)->state != "running") std::this_thread::sleep_for(5ms);
    runner.shutdown();
  }
  EXPECT_EQ(store->get(id)->state, "queued");
  JobRunner again(store, 1, stepping_work(runs, 3, 1ms));
  again.recover();
  EXPECT_EQ(wait_final(again, id).state, "done");
  EXPECT_EQ(runs, 2);
}

}  // namespace
