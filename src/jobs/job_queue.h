#pragma once
// Where JobRunner's jobs come from and where their state goes. Two kinds:
// - a queue in memory over a store only this process uses (SQLite): jobs
//   handed out fairly between users, their live progress kept here for the
//   readers, who wait on a condition variable;
// - claims from a store every process shares (PostgreSQL): a job is held with
//   a lease the runner renews, progress travels with the renewal, readers
//   poll the database (a job run on another machine streams its progress too).
// The runner runs whatever a queue hands it the same way. Internal to jobs.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "jobs/job_runner.h"

namespace soundlens {

class JobQueue {
 public:
  virtual ~JobQueue() = default;

  // --- The runner's side ---
  // Stores a job (state queued, no progress) with its upload.
  virtual JobRecord submit(JobRecord job, std::span<const std::uint8_t> upload, const JobQuota& quota) = 0;
  // Queues again the jobs a previous process left queued or running.
  virtual void recover() = 0;
  // Blocks until a job is claimed for this process (state running, stage
  // "starting"), or stop() was called: nullopt.
  virtual std::optional<JobRecord> claim() = 0;
  // A claimed job reported progress; new_stage: a stage began.
  virtual void progressed(const JobRecord& job, bool new_stage) = 0;
  // How often the runner renews its claims; nullopt: they never expire.
  virtual std::optional<std::chrono::milliseconds> renewal_interval() const = 0;
  // Extends a claim and writes its progress.
  virtual JobStore::Renewal renew(const JobRecord& job) = 0;
  // A claimed job's end: a final state, or queued to give it back. lost: the
  // runner learnt that its claim ran out.
  virtual void finish(const JobRecord& job, bool lost) = 0;

  // --- The readers' side (JobRunner's API) ---
  virtual std::optional<JobRecord> get(const std::string& id) = 0;
  // A queued job becomes cancelled at once; a running one is marked (the runner stops it).
  virtual std::optional<JobRecord> cancel(const std::string& id) = 0;
  virtual std::vector<JobRecord> recent(int limit, std::optional<std::int64_t> owner) = 0;
  virtual std::optional<JobRunner::Snapshot> wait_for_change(const std::string& id, std::uint64_t seen,
                                                             std::chrono::milliseconds timeout) = 0;
  // From now on claim() and wait_for_change() return at once.
  virtual void stop() = 0;
};

std::unique_ptr<JobQueue> make_local_queue(std::shared_ptr<JobStore> store);
std::unique_ptr<JobQueue> make_shared_queue(std::shared_ptr<JobStore> store, const JobRunnerOptions& options);

}  // namespace soundlens
