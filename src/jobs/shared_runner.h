#pragma once
// JobRunner's way with a shared store (PostgreSQL): no queue in memory. The
// threads claim jobs from the database (any server may have submitted them),
// a heartbeat renews their leases and writes their progress, and readers
// poll the database, so that a job run on another machine streams its
// progress here too. Internal to jobs; JobRunner delegates to it.
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "jobs/job_runner.h"

namespace soundlens {

class SharedRunner {
 public:
  SharedRunner(std::shared_ptr<JobStore> store, int threads, JobRunner::Work work, JobRunnerOptions options);
  ~SharedRunner();
  SharedRunner(const SharedRunner&) = delete;
  SharedRunner& operator=(const SharedRunner&) = delete;

  JobRecord submit(JobRecord job, std::span<const std::uint8_t> upload, const JobQuota& quota);
  std::optional<JobRecord> get(const std::string& id);
  std::optional<JobRecord> cancel(const std::string& id);
  std::vector<JobRecord> recent(int limit, std::optional<std::int64_t> owner);
  std::optional<JobRunner::Snapshot> wait_for_change(const std::string& id, std::uint64_t seen,
                                                     std::chrono::milliseconds timeout);
  void shutdown();
  bool shutting_down() const;
  const std::string& worker_id() const { return worker_; }

 private:
  struct Held;
  class Context;
  void run_thread();
  void run_claimed(JobRecord job);
  void heartbeat_thread();
  void finish(JobRecord job, bool lost);

  std::shared_ptr<JobStore> store_;
  JobRunner::Work work_;
  JobRunnerOptions options_;
  std::string worker_;  // this process in the jobs' `worker` column: host, pid and a random part
  mutable std::mutex mutex_;
  std::condition_variable wake_;   // the claiming threads: a submit here, or shutdown
  std::condition_variable paused_; // the heartbeat and readers polling the database: shutdown
  std::map<std::string, std::unique_ptr<Held>> held_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
  std::thread heartbeat_;
};

}  // namespace soundlens
