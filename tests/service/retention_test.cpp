// --retention-days: the task removes analyses (rows, audio, cache) and final
// jobs older than N days before its clock's now, keeps newer ones and
// unfinished jobs, and logs each run as one JSON line. Real SQLite stores in
// a temporary directory; the clock is injected instead of waiting days.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "service/retention_task.h"
#include "storage/analysis_store.h"
#include "storage/job_store.h"

namespace soundlens {
namespace {
namespace fs = std::filesystem;
using Clock = std::chrono::system_clock;

class RetentionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("soundlens-retention-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    store_ = open_sqlite_store(dir_.string());
    jobs_ = open_sqlite_jobs(dir_.string());
  }
  void TearDown() override {
    store_.reset();
    jobs_.reset();
    fs::remove_all(dir_);
  }

  StoredAnalysis insert(const std::string& name) {
    NewAnalysis a;
    a.filename = name;
    a.content_type = "audio/wav";
    a.model = "mn04_as";
    a.parameters_json = "{}";
    a.result_json = "{}";
    const std::vector<std::uint8_t> audio(1000, 7);
    StoredAnalysis stored = store_->insert(a, audio);
    const std::vector<std::uint8_t> png(10, 1);
    store_->write_cache(stored.id, "figure-47.png", png);
    return stored;
  }

  JobRecord job(const std::string& final_state) {
    JobRecord j;
    j.filename = "job.flac";
    j.parameters_json = "{}";
    const std::vector<std::uint8_t> upload(100, 3);
    j = jobs_->create(j, upload);
    if (!final_state.empty()) {
      j.state = final_state;
      jobs_->update(j);
    }
    return j;
  }

  // A moment strictly after everything stored so far and strictly before
  // anything stored later (times have millisecond resolution): spins for at most ~2 ms.
  static Clock::time_point boundary() {
    const auto next_ms = [](Clock::time_point after) {
      const auto ms = std::chrono::floor<std::chrono::milliseconds>(after);
      Clock::time_point now;
      do now = Clock::now(); while (std::chrono::floor<std::chrono::milliseconds>(now) == ms);
      return now;
    };
    const auto mid = std::chrono::floor<std::chrono::milliseconds>(next_ms(Clock::now()));
    next_ms(mid);  // what is stored from now on is at least one millisecond later
    return mid;
  }

  bool has_files(const std::string& id) {
    return fs::exists(dir_ / "audio" / id) || fs::exists(dir_ / "cache" / id);
  }

  fs::path dir_;
  std::shared_ptr<AnalysisStore> store_;
  std::shared_ptr<JobStore> jobs_;
};

TEST_F(RetentionTest, RemovesOldAnalysesWithTheirFilesAndFinalJobsAndLogsIt) {
  const StoredAnalysis old_a = insert("old-a.wav"), old_b = insert("old-b.wav");
  const JobRecord old_done = job("done"), old_failed = job("failed"), still_queued = job("");
  ASSERT_TRUE(has_files(old_a.id));
  ASSERT_TRUE(fs::exists(dir_ / "jobs" / still_queued.id));
  const auto cutoff = boundary();
  const StoredAnalysis fresh = insert("fresh.wav");
  const JobRecord fresh_done = job("done");

  std::ostringstream log;
  // 30 days after the boundary: the cutoff falls between the old and the new.
  service::RetentionTask task(store_, jobs_, 30, log, [cutoff] { return cutoff + std::chrono::hours(24 * 30); });
  const auto removed = task.run_once();
  EXPECT_EQ(removed.analyses, 2);
  EXPECT_EQ(removed.jobs, 2);

  for (const auto& gone : {old_a, old_b}) {
    EXPECT_FALSE(store_->get(gone.id)) << gone.filename;
    EXPECT_FALSE(has_files(gone.id)) << gone.filename;
  }
  EXPECT_TRUE(store_->get(fresh.id));
  EXPECT_TRUE(fs::exists(dir_ / "audio" / fresh.id));
  EXPECT_TRUE(store_->read_cache(fresh.id, "figure-47.png"));
  EXPECT_EQ(store_->list(50, 0).total, 1);
  EXPECT_FALSE(jobs_->get(old_done.id));
  EXPECT_FALSE(jobs_->get(old_failed.id));
  EXPECT_TRUE(jobs_->get(fresh_done.id));
  EXPECT_TRUE(jobs_->get(still_queued.id));  // unfinished jobs are never removed
  EXPECT_TRUE(fs::exists(dir_ / "jobs" / still_queued.id));

  const auto line = nlohmann::json::parse(log.str());
  EXPECT_EQ(line["event"], "retention");
  EXPECT_EQ(line["days"], 30);
  EXPECT_EQ(line["analyses_removed"], 2);
  EXPECT_EQ(line["jobs_removed"], 2);
  EXPECT_FALSE(line.contains("error"));
  const std::string text = log.str();
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);

  // A second run finds nothing more, and says so.
  std::ostringstream again;
  service::RetentionTask next(store_, jobs_, 30, again, [cutoff] { return cutoff + std::chrono::hours(24 * 30); });
  EXPECT_EQ(next.run_once().analyses, 0);
  EXPECT_EQ(nlohmann::json::parse(again.str())["analyses_removed"], 0);
}

TEST_F(RetentionTest, NothingYoungerThanTheDaysIsRemoved) {
  const StoredAnalysis a = insert("a.wav");
  std::ostringstream log;
  // One day later with a 2-day retention: kept.
  service::RetentionTask task(store_, jobs_, 2, log, [] { return Clock::now() + std::chrono::hours(24); });
  EXPECT_EQ(task.run_once().analyses, 0);
  EXPECT_TRUE(store_->get(a.id));
  EXPECT_TRUE(has_files(a.id));
}

TEST_F(RetentionTest, RunsAtStartOnItsOwnThreadAndStops) {
  insert("old.wav");
  std::ostringstream log;
  {
    service::RetentionTask task(store_, nullptr, 1, log, [] { return Clock::now() + std::chrono::hours(48); });
    task.start(std::chrono::hours(1));
    // The first run happens at start; wait for it (bounded), then stop long before the next.
    for (int i = 0; i < 500 && store_->list(50, 0).total > 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    task.stop();
  }
  EXPECT_EQ(store_->list(50, 0).total, 0);
  EXPECT_NE(log.str().find("\"analyses_removed\":1"), std::string::npos) << log.str();
}

}  // namespace
}  // namespace soundlens
