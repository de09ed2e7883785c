// The jobs table and the runner without audio: stored jobs survive a reopen,
// a final state drops the upload, the analysis a job stored is found by its
// job id (no analysis twice), and the runner's states, progress, waiting,
// cancellation and shutdown behave as the HTTP layer relies on.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "core/error.h"
#include "jobs/job_runner.h"
#include "storage/analysis_store.h"
#include "storage/job_store.h"
#include "pg_test_database.h"

namespace fs = std::filesystem;
using namespace soundlens;
using namespace std::chrono_literals;

namespace {

// Every test runs on SQLite (a queue in memory) and on PostgreSQL (a queue in
// the database that runners claim from; a fresh database per test).
enum class Backend { sqlite, postgres };

class JobStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("soundlens-jobs-" + std::to_string(::getpid()) + "-" +
                                        std::to_string(int(GetParam())) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    if (GetParam() == Backend::postgres) {
      SOUNDLENS_NEED_POSTGRES();
      pg_ = std::make_unique<soundlens::testing::PgTestDatabase>(*soundlens::testing::postgres_test_server());
    }
  }
  void TearDown() override {
    pg_.reset();
    fs::remove_all(dir_);
  }
  bool postgres() const { return GetParam() == Backend::postgres; }
  std::unique_ptr<JobStore> open_jobs() {
    return postgres() ? open_postgres_jobs(pg_->conninfo()) : open_sqlite_jobs(dir_.string());
  }
  std::unique_ptr<AnalysisStore> open_analyses() {
    return postgres() ? open_postgres_store(pg_->conninfo(), dir_.string()) : open_sqlite_store(dir_.string());
  }
  // Short leases and polls keep the PostgreSQL runs quick; SQLite ignores them.
  static JobRunnerOptions quick() { return {.lease = 600ms, .poll = 20ms, .name = "test"}; }
  // Whether the upload of a job is still kept.
  bool upload_kept(const std::string& id) {
    if (!postgres()) return fs::exists(dir_ / "jobs" / id);
    return pg_->scalar("SELECT count(*) FROM job_uploads WHERE job_id = '" + id + "'") != "0";
  }
  std::unique_ptr<soundlens::testing::PgTestDatabase> pg_;
  static std::vector<std::uint8_t> bytes(const std::string& text) { return {text.begin(), text.end()}; }
  static JobRecord fresh(const std::string& name) {
    JobRecord j;
    j.filename = name;
    j.parameters_json = R"({"top_k":"3"})";
    return j;
  }
  fs::path dir_;
};

TEST_P(JobStoreTest, AJobAndItsUploadSurviveAReopenUntilItIsFinal) {
  std::string id;
  {
    auto store = open_jobs();
    JobRecord job = store->create(fresh("a.wav"), bytes("RIFF...."));
    id = job.id;
    EXPECT_EQ(id.size(), 32u);
    job.state = "running";
    job.stage = "windows";
    job.progress = 0.25;
    store->update(job);
  }
  auto store = open_jobs();
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
  EXPECT_FALSE(upload_kept(id));
  EXPECT_EQ(store->get(id)->analysis_id, std::string(32, 'b'));
}

TEST_P(JobStoreTest, HostileIdsAreUnknown) {
  auto store = open_jobs();
  const std::vector<std::string> hostile{"", "../soundlens.db", std::string(10240, 'a'), std::string(32, 'G'),
                                         "' OR 1=1 --"};
  for (const std::string& id : hostile)
    EXPECT_FALSE(store->get(id)) << id.substr(0, 40);
  EXPECT_THROW(store->read_upload("../soundlens.db"), Error);
}

TEST_P(JobStoreTest, TheAnalysisAJobStoredIsFoundByItsJobId) {
  auto analyses = open_analyses();
  auto store = open_jobs();
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

TEST_P(JobStoreTest, TheRunnerReportsProgressAndEndsDone) {
  std::shared_ptr<JobStore> store = open_jobs();
  std::atomic<int> runs = 0;
  JobRunner runner(store, 1, stepping_work(runs, 20, 30ms), quick());
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

TEST_P(JobStoreTest, CancelledJobsStopOrNeverRun) {
  std::shared_ptr<JobStore> store = open_jobs();
  std::atomic<int> runs = 0;
  JobRunner runner(store, 1, stepping_work(runs, 200, 10ms), quick());
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

TEST_P(JobStoreTest, AShutdownLeavesTheRunningJobQueuedForTheNextStart) {
  std::shared_ptr<JobStore> store = open_jobs();
  std::atomic<int> runs = 0;
  std::string id;
  {
    JobRunner runner(store, 1, stepping_work(runs, 1000, 10ms), quick());
    id = runner.submit(fresh("a.wav"), bytes("x")).id;
    while (runner.get(id)->state != "running") std::this_thread::sleep_for(5ms);
    runner.shutdown();
  }
  EXPECT_EQ(store->get(id)->state, "queued");
  JobRunner again(store, 1, stepping_work(runs, 3, 1ms), quick());
  again.recover();
  EXPECT_EQ(wait_final(again, id).state, "done");
  EXPECT_EQ(runs, 2);
}

// --- One runner, either queue (issue 18) ---

// What a crash leaves: the job still marked running, by a process that is gone. On SQLite the
// next start queues it again (recover); on PostgreSQL its lease runs out and any runner claims it.
void leave_running_as_a_crash_would(JobStore& store, JobRecord job, bool postgres) {
  if (postgres) {
    const auto claimed = store.claim("crashed-worker", 300ms);
    ASSERT_TRUE(claimed);
    ASSERT_EQ(claimed->id, job.id);
    return;
  }
  job.state = "running";
  job.stage = "windows";
  job.progress = 0.4;
  store.update(job);
}

// The same runner runs what a crashed process left, from either queue: it streams the progress of
// the first, cancels it mid-run, and runs the second to the end; each runs once.
TEST_P(JobStoreTest, TheRunnerRecoversStreamsAndCancelsFromEitherQueue) {
  std::shared_ptr<JobStore> store = open_jobs();
  const JobRecord first = store->create(fresh("first.wav"), bytes("1"));
  const JobRecord second = store->create(fresh("second.wav"), bytes("2"));
  leave_running_as_a_crash_would(*store, first, postgres());
  leave_running_as_a_crash_would(*store, second, postgres());
  ASSERT_EQ(store->unfinished().size(), 2u);

  std::mutex mutex;
  std::map<std::string, int> runs_of;
  std::map<std::string, std::string> upload_of;
  const JobRunner::Work work = [&](const JobRecord& job, JobContext& context) -> std::string {
    {
      std::lock_guard lock(mutex);
      ++runs_of[job.id];
      const auto upload = store->read_upload(job.id);  // what it runs on survived the crash
      upload_of[job.id] = std::string(upload.begin(), upload.end());
    }
    const int steps = job.id == first.id ? 400 : 5;
    for (int i = 0; i < steps; ++i) {
      if (context.stop_requested()) throw Error(ErrorCode::cancelled, "cancelled");
      context.report("windows", double(i) / steps);
      std::this_thread::sleep_for(10ms);
    }
    return std::string(32, 'd');
  };
  JobRunner runner(store, 1, work, quick());
  runner.recover();

  // The first streams its progress from the start of this run (a crashed run's progress is not kept).
  std::uint64_t seen = 0;
  double progress = 0;
  int running_updates = 0;
  for (int i = 0; i < 200 && progress < 0.05; ++i) {
    auto snapshot = runner.wait_for_change(first.id, seen, 500ms);
    ASSERT_TRUE(snapshot);
    seen = snapshot->version;
    EXPECT_FALSE(is_final_job_state(snapshot->job.state)) << snapshot->job.state;
    if (snapshot->job.state == "running") {
      EXPECT_GE(snapshot->job.progress, progress);
      progress = snapshot->job.progress;
      ++running_updates;
    }
  }
  EXPECT_GE(progress, 0.05);
  EXPECT_GE(running_updates, 2);
  EXPECT_EQ(runner.get(second.id)->state, postgres() ? "running" : "queued") << "the second waits for the thread";

  runner.cancel(first.id);
  const JobRecord cancelled = wait_final(runner, first.id);
  EXPECT_EQ(cancelled.state, "cancelled");
  EXPECT_TRUE(cancelled.analysis_id.empty());
  EXPECT_LT(cancelled.progress, 1.0);
  EXPECT_FALSE(upload_kept(first.id));

  const JobRecord done = wait_final(runner, second.id);
  EXPECT_EQ(done.state, "done");
  EXPECT_EQ(done.analysis_id, std::string(32, 'd'));
  EXPECT_EQ(store->get(second.id)->state, "done");  // persisted
  EXPECT_TRUE(store->unfinished().empty());
  std::lock_guard lock(mutex);
  EXPECT_EQ(runs_of, (std::map<std::string, int>{{first.id, 1}, {second.id, 1}}));
  EXPECT_EQ(upload_of[first.id], "1");
  EXPECT_EQ(upload_of[second.id], "2");
}

// --- Quotas and fairness (issue 17) ---

JobRecord owned_by(std::int64_t owner, const std::string& name) {
  JobRecord j;
  j.filename = name;
  j.parameters_json = R"({"top_k":"3"})";
  j.owner = owner;
  return j;
}

// A user may hold so many jobs queued or running, and so many bytes of uploads; others are not affected,
// and a finished job gives its place back.
TEST_P(JobStoreTest, EachUserHoldsAtMostItsQuota) {
  std::shared_ptr<JobStore> store = open_jobs();
  const JobQuota two_jobs{2, 0, "--max-queued-jobs-per-user", ""};
  const JobRecord first = store->create(owned_by(1, "a.wav"), bytes("x"), two_jobs);
  store->create(owned_by(1, "b.wav"), bytes("x"), two_jobs);
  try {
    store->create(owned_by(1, "c.wav"), bytes("x"), two_jobs);
    ADD_FAILURE() << "a third job was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::quota_exceeded);
    EXPECT_NE(std::string(e.what()).find("2 jobs per user (--max-queued-jobs-per-user)"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(store->recent(10, 1).size(), 2u);  // nothing of the refused one is kept
  store->create(owned_by(2, "d.wav"), bytes("x"), two_jobs);  // another user has a quota of its own
  JobRecord done = first;
  done.state = "done";
  store->update(done);
  store->create(owned_by(1, "e.wav"), bytes("x"), two_jobs);  // a finished job frees its place

  const JobQuota ten_bytes{0, 10, "", "--max-queued-mb-per-user"};
  store->create(owned_by(3, "f.wav"), bytes("123456"), ten_bytes);
  try {
    store->create(owned_by(3, "g.wav"), bytes("123456"), ten_bytes);
    ADD_FAILURE() << "12 bytes were accepted under a limit of 10";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::quota_exceeded);
    EXPECT_NE(std::string(e.what()).find("--max-queued-mb-per-user"), std::string::npos) << e.what();
  }
}

// Submits at the same moment, from two stores (two servers on PostgreSQL), cannot both take the last place.
TEST_P(JobStoreTest, TheQuotaHoldsUnderConcurrentSubmits) {
  std::shared_ptr<JobStore> a = open_jobs(), b = open_jobs();
  const JobQuota three{3, 0, "", ""};
  std::atomic<int> accepted = 0, refused = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < 12; ++i)
    threads.emplace_back([&, i] {
      try {
        (i % 2 ? a : b)->create(owned_by(7, "x.wav"), bytes("x"), three);
        ++accepted;
      } catch (const Error& e) {
        if (e.code() == ErrorCode::quota_exceeded) ++refused;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(accepted, 3);
  EXPECT_EQ(refused, 9);
}

// One user's long queue does not starve another's: with one thread, the other user's job runs next.
TEST_P(JobStoreTest, OneUsersQueueDoesNotStarveAnothers) {
  std::shared_ptr<JobStore> store = open_jobs();
  std::mutex mutex;
  std::vector<std::int64_t> order;
  std::atomic<bool> go = false;
  const JobRunner::Work work = [&](const JobRecord& job, JobContext&) -> std::string {
    while (!go) std::this_thread::sleep_for(2ms);  // the first job holds the thread until every job is queued
    std::lock_guard lock(mutex);
    order.push_back(job.owner.value_or(-1));
    return std::string(32, 'a');
  };
  JobRunner runner(store, 1, work, quick());
  std::vector<std::string> ids;
  for (int i = 0; i < 8; ++i) ids.push_back(runner.submit(owned_by(1, "many.wav"), bytes("x")).id);
  while (runner.get(ids.front())->state != "running") std::this_thread::sleep_for(5ms);
  const std::string other = runner.submit(owned_by(2, "one.wav"), bytes("x")).id;
  const std::string third = runner.submit(owned_by(3, "one.wav"), bytes("x")).id;
  go = true;
  EXPECT_EQ(wait_final(runner, other).state, "done");
  EXPECT_EQ(wait_final(runner, third).state, "done");
  for (const auto& id : ids) EXPECT_EQ(wait_final(runner, id).state, "done");
  std::lock_guard lock(mutex);
  ASSERT_EQ(order.size(), 10u);
  // User 1's first job was running already; users 2 and 3 come next, not after user 1's seven others.
  EXPECT_EQ(order[0], 1);
  EXPECT_EQ(std::vector<std::int64_t>(order.begin() + 1, order.begin() + 3), (std::vector<std::int64_t>{2, 3}));
}

// --- The shared queue (PostgreSQL only): several runners, leases, workers that die ---
class SharedQueueTest : public JobStoreTest {};

TEST_P(SharedQueueTest, TwoRunnersNeverRunTheSameJob) {
  std::shared_ptr<JobStore> a = open_jobs(), b = open_jobs();  // two machines
  std::mutex mutex;
  std::map<std::string, int> runs_of;
  const JobRunner::Work work = [&](const JobRecord& job, JobContext& context) -> std::string {
    {
      std::lock_guard lock(mutex);
      ++runs_of[job.id];
    }
    context.report("windows", 0.5);
    std::this_thread::sleep_for(5ms);
    return std::string(32, 'a');
  };
  JobRunner first(a, 2, work, quick()), second(b, 2, work, quick());
  std::vector<std::string> ids;
  for (int i = 0; i < 40; ++i) ids.push_back((i % 2 ? first : second).submit(fresh("x.wav"), bytes("x")).id);
  for (const auto& id : ids) EXPECT_EQ(wait_final(first, id).state, "done") << id;
  std::lock_guard lock(mutex);
  EXPECT_EQ(runs_of.size(), ids.size());
  for (const auto& [id, runs] : runs_of) EXPECT_EQ(runs, 1) << id;
}

TEST_P(SharedQueueTest, ADeadWorkersJobIsClaimedAgainAndFinishesOnce) {
  std::shared_ptr<JobStore> store = open_jobs();
  const JobRecord job = store->create(fresh("a.wav"), bytes("x"));
  // A worker claims it and dies: it never renews its lease.
  const auto claimed = store->claim("dead-worker", 300ms);
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->id, job.id);
  EXPECT_EQ(claimed->state, "running");
  EXPECT_FALSE(store->claim("other", 300ms)) << "a held job was claimed twice";
  std::atomic<int> runs = 0;
  JobRunner runner(store, 1, stepping_work(runs, 3, 1ms), quick());
  const auto before = std::chrono::steady_clock::now();
  EXPECT_EQ(wait_final(runner, job.id).state, "done");
  EXPECT_GE(std::chrono::steady_clock::now() - before, 200ms) << "claimed before the lease ran out";
  EXPECT_EQ(runs, 1);
  // The dead worker comes back: it no longer holds the job and cannot finish it again.
  JobRecord late = *claimed;
  late.state = "failed";
  EXPECT_FALSE(store->finish(late, "dead-worker"));
  EXPECT_EQ(store->get(job.id)->state, "done");
  EXPECT_EQ(pg_->scalar("SELECT attempts FROM jobs WHERE id = '" + job.id + "'"), "2");
}

TEST_P(SharedQueueTest, AServerWithoutWorkersSeesProgressAndCancelsThroughTheDatabase) {
  std::shared_ptr<JobStore> server_store = open_jobs(), worker_store = open_jobs();
  std::atomic<int> runs = 0;
  JobRunner server(server_store, 0, stepping_work(runs, 0, 0ms), quick());  // --workers 0
  JobRunner worker(worker_store, 1, stepping_work(runs, 300, 10ms), quick());
  const JobRecord job = server.submit(fresh("a.wav"), bytes("x"));
  // The server streams the progress the worker writes.
  std::uint64_t seen = 0;
  double progress = 0;
  for (int i = 0; i < 100 && progress < 0.05; ++i) {
    auto snapshot = server.wait_for_change(job.id, seen, 500ms);
    ASSERT_TRUE(snapshot);
    seen = snapshot->version;
    progress = snapshot->job.progress;
  }
  EXPECT_GE(progress, 0.05);
  EXPECT_EQ(server.get(job.id)->state, "running");
  server.cancel(job.id);  // the worker learns it at its next heartbeat
  const JobRecord final = wait_final(server, job.id);
  EXPECT_EQ(final.state, "cancelled");
  EXPECT_LT(final.progress, 1.0);
  EXPECT_FALSE(upload_kept(job.id));
}

INSTANTIATE_TEST_SUITE_P(Backends, JobStoreTest, ::testing::Values(Backend::sqlite, Backend::postgres),
                         [](const auto& info) { return info.param == Backend::sqlite ? "sqlite" : "postgres"; });
INSTANTIATE_TEST_SUITE_P(Postgres, SharedQueueTest, ::testing::Values(Backend::postgres),
                         [](const auto&) { return "postgres"; });

}  // namespace
