#include "jobs/job_runner.h"

#include <algorithm>
#include <iostream>

#include "core/error.h"
#include "jobs/job_queue.h"

namespace soundlens {

using Clock = std::chrono::steady_clock;

// A job this process runs now, with what its work is told.
struct JobRunner::Running {
  JobRecord job;                  // with the live stage, progress and ETA
  Clock::time_point started{};
  bool cancel_requested = false;
  bool lost = false;              // its claim ran out: another process may run it now
};

class JobRunner::Context final : public JobContext {
 public:
  Context(JobRunner& runner, std::string id) : runner_(runner), id_(std::move(id)) {}

  void report(const std::string& stage, double progress) override {
    std::lock_guard lock(runner_.mutex_);
    const auto it = runner_.running_.find(id_);
    if (it == runner_.running_.end()) return;
    Running& running = *it->second;
    JobRecord& job = running.job;
    progress = std::clamp(progress, 0.0, 1.0);
    const bool new_stage = stage != job.stage;
    if (!new_stage && progress <= job.progress) return;
    job.stage = stage;
    job.progress = std::max(job.progress, progress);
    const double elapsed = std::chrono::duration<double>(Clock::now() - running.started).count();
    // Elapsed over progress; too early (under 2 %) the estimate says nothing.
    if (job.progress >= 0.02) job.eta_s = std::max(0.0, elapsed * (1.0 - job.progress) / job.progress);
    runner_.queue_->progressed(job, new_stage);
  }

  bool stop_requested() const override {
    std::lock_guard lock(runner_.mutex_);
    if (runner_.stopping_) return true;
    const auto it = runner_.running_.find(id_);
    return it == runner_.running_.end() || it->second->cancel_requested || it->second->lost;
  }

 private:
  JobRunner& runner_;
  std::string id_;
};

JobRunner::JobRunner(std::shared_ptr<JobStore> store, int threads, Work work, JobRunnerOptions options)
    : store_(std::move(store)),
      queue_(store_->shared() ? make_shared_queue(store_, options) : make_local_queue(store_)),
      work_(std::move(work)) {
  // Without a shared store no other process runs these jobs: at least one thread.
  threads = store_->shared() ? std::max(0, threads) : std::max(1, threads);
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { run_thread(); });
  if (const auto interval = queue_->renewal_interval(); interval && threads > 0)
    renewing_ = std::thread([this, interval] { renew_thread(*interval); });
}

JobRunner::~JobRunner() { shutdown(); }

void JobRunner::shutdown() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queue_->stop();
  stopped_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  if (renewing_.joinable()) renewing_.join();
}

bool JobRunner::shutting_down() const {
  std::lock_guard lock(mutex_);
  return stopping_;
}

JobRecord JobRunner::submit(JobRecord job, std::span<const std::uint8_t> upload, const JobQuota& quota) {
  job.state = "queued";
  job.stage.clear();
  job.progress = 0;
  job.eta_s.reset();
  return queue_->submit(std::move(job), upload, quota);
}

void JobRunner::recover() { queue_->recover(); }

std::optional<JobRecord> JobRunner::get(const std::string& id) { return queue_->get(id); }

std::vector<JobRecord> JobRunner::recent(int limit, std::optional<std::int64_t> owner) {
  return queue_->recent(limit, owner);
}

std::optional<JobRecord> JobRunner::cancel(const std::string& id) {
  auto job = queue_->cancel(id);
  std::lock_guard lock(mutex_);
  // Running here: it stops at its next check, without waiting for a renewal to bring the news.
  if (auto it = running_.find(id); it != running_.end()) it->second->cancel_requested = true;
  return job;
}

std::optional<JobRunner::Snapshot> JobRunner::wait_for_change(const std::string& id, std::uint64_t seen,
                                                              std::chrono::milliseconds timeout) {
  return queue_->wait_for_change(id, seen, timeout);
}

void JobRunner::run_thread() {
  while (auto job = queue_->claim()) run(std::move(*job));
}

void JobRunner::run(JobRecord job) {
  const std::string id = job.id;
  if (job.cancel_requested) {  // cancelled while a previous worker ran it, then that one died
    job.state = "cancelled";
    queue_->finish(job, false);
    return;
  }
  {
    std::lock_guard lock(mutex_);
    running_[id] = std::make_unique<Running>(Running{job, Clock::now()});
  }
  // A cancel between the claim and the line above did not find it running here: ask the queue.
  if (const auto now = queue_->get(id); now && now->cancel_requested) {
    std::lock_guard lock(mutex_);
    running_.at(id)->cancel_requested = true;
  }
  Context context(*this, id);
  std::string analysis_id, error_code, error_message;
  try {
    analysis_id = work_(job, context);
  } catch (const Error& e) {
    error_code = std::string(error_code_name(e.code()));
    error_message = e.what();
  } catch (const std::exception& e) {
    error_code = "internal";
    error_message = "internal error";
    std::cerr << "{\"event\":\"job_failed\",\"job\":\"" << id << "\"}: " << e.what() << std::endl;
  }
  Running ran;
  bool stopping = false;
  {
    std::lock_guard lock(mutex_);
    ran = std::move(*running_.at(id));
    running_.erase(id);
    stopping = stopping_;
  }
  // Another run of this job (one that lost its claim but went on) may have stored the analysis:
  // the job is done with that one (a job stores one analysis at most, so ours could not be stored).
  if (analysis_id.empty() && !ran.cancel_requested && !ran.lost) {
    try {
      if (auto existing = store_->analysis_of_job(id)) analysis_id = *existing;
    } catch (const std::exception&) {
    }
  }
  JobRecord& out = ran.job;
  out.eta_s.reset();
  if (!analysis_id.empty()) {
    out.state = "done";
    out.stage = "done";
    out.progress = 1;
    out.eta_s = 0.0;
    out.analysis_id = analysis_id;
  } else if (ran.cancel_requested) {
    out.state = "cancelled";
  } else if (stopping || ran.lost) {
    // Not the job's fault: given back to the queue (if still ours); it runs again at the next start or elsewhere.
    out.state = "queued";
    out.stage.clear();
    out.progress = 0;
  } else {
    out.state = "failed";
    out.error_code = error_code;
    out.error_message = error_message;
  }
  queue_->finish(out, ran.lost);
}

// Extends the claims of the jobs running here (their progress goes with it), and
// learns whether one was cancelled elsewhere or lost.
void JobRunner::renew_thread(std::chrono::milliseconds interval) {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    stopped_.wait_for(lock, interval, [this] { return stopping_; });
    std::vector<JobRecord> jobs;
    for (const auto& [id, running] : running_)
      if (!running->lost) jobs.push_back(running->job);
    lock.unlock();
    for (const auto& job : jobs) {
      JobStore::Renewal renewal;
      bool failed = false;
      try {
        renewal = queue_->renew(job);
      } catch (const std::exception& e) {
        failed = true;  // the database is unreachable: keep going while the claim lasts
        std::cerr << "{\"event\":\"job_renew_failed\",\"job\":\"" << job.id << "\"}: " << e.what() << std::endl;
      }
      std::lock_guard relock(mutex_);
      const auto it = running_.find(job.id);
      if (it == running_.end() || failed) continue;
      if (!renewal.held) it->second->lost = true;
      if (renewal.cancel_requested) it->second->cancel_requested = true;
    }
    lock.lock();
  }
}

}  // namespace soundlens
