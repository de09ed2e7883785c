#pragma once
// Runs stored jobs in the background on a fixed number of threads, keeps
// each job's live state (stage, progress, ETA) and lets readers wait for its
// next change (the SSE stream). What a job does is given as a function, so
// this stage knows nothing of audio or HTTP. Where the jobs come from is a
// JobQueue (jobs/job_queue.h), chosen by the store; they run the same way.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "storage/job_store.h"

namespace soundlens {

// What a job's work sees: reports progress, asks whether to stop.
class JobContext {
 public:
  virtual ~JobContext() = default;
  // The stage and the fraction of the whole job done (clamped, never going back).
  virtual void report(const std::string& stage, double progress) = 0;
  // True once the job is cancelled or the runner shuts down.
  virtual bool stop_requested() const = 0;
};

// With a shared store (PostgreSQL, see JobStore::shared()).
struct JobRunnerOptions {
  std::chrono::milliseconds lease{30000};  // how long a claimed job is held without a renewal
  std::chrono::milliseconds poll{200};     // how often idle threads and readers look at the database
  std::string name;                        // this worker's name in the jobs table (default: the host name)
};

class JobQueue;

class JobRunner {
 public:
  // Runs the job; returns the id of the analysis it stored (a comparison: the ids of its two, comma-separated). Throws Error on failure
  // (Error(cancelled) when it stopped because stop_requested() said so).
  using Work = std::function<std::string(const JobRecord& job, JobContext& context)>;

  // With a store only this process uses (SQLite), jobs are queued in memory
  // and run on `threads` (at least one). With a shared store (PostgreSQL) the
  // threads claim jobs from the database, whichever server took them; 0
  // threads is allowed there (a server that only serves the API).
  JobRunner(std::shared_ptr<JobStore> store, int threads, Work work, JobRunnerOptions options = {});
  ~JobRunner();
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  // Stores the job with its upload and queues it; past the owner's quota: Error(quota_exceeded).
  JobRecord submit(JobRecord job, std::span<const std::uint8_t> upload, const JobQuota& quota = {});
  // Queues the jobs a previous process left queued or running (they run again).
  void recover();
  std::optional<JobRecord> get(const std::string& id);
  // Cancels a queued or running job; a final one is returned unchanged. nullopt: unknown id.
  std::optional<JobRecord> cancel(const std::string& id);
  std::vector<JobRecord> recent(int limit, std::optional<std::int64_t> owner = std::nullopt);

  // The job once its version is past `seen` (or `timeout` has passed), with its version.
  // Versions start at 1; pass 0 to get the current state at once.
  struct Snapshot {
    JobRecord job;
    std::uint64_t version = 0;
  };
  std::optional<Snapshot> wait_for_change(const std::string& id, std::uint64_t seen,
                                          std::chrono::milliseconds timeout);
  // Stops the threads: running jobs stop at their next check and stay queued in the store
  // (they run again at the next start); waiters return at once.
  void shutdown();
  bool shutting_down() const;

 private:
  struct Running;
  class Context;
  void run_thread();
  void run(JobRecord job);
  void renew_thread(std::chrono::milliseconds interval);

  std::shared_ptr<JobStore> store_;
  std::unique_ptr<JobQueue> queue_;
  Work work_;
  mutable std::mutex mutex_;
  std::condition_variable stopped_;          // the renewing thread's pause: shutdown
  std::map<std::string, std::unique_ptr<Running>> running_;  // the jobs this process runs now
  bool stopping_ = false;
  std::vector<std::thread> threads_;
  std::thread renewing_;                     // with a queue whose claims expire
};

}  // namespace soundlens
