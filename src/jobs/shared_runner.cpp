#include "jobs/shared_runner.h"

#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <random>

#include "core/error.h"

namespace soundlens {

using Clock = std::chrono::steady_clock;

struct SharedRunner::Held {
  JobRecord job;               // with the live stage and progress
  bool cancel_requested = false;
  bool lost = false;           // the lease ran out: another worker may run it now
  Clock::time_point started{};
};

class SharedRunner::Context final : public JobContext {
 public:
  Context(SharedRunner& runner, std::string id) : runner_(runner), id_(std::move(id)) {}

  void report(const std::string& stage, double progress) override {
    std::lock_guard lock(runner_.mutex_);
    const auto it = runner_.held_.find(id_);
    if (it == runner_.held_.end()) return;
    Held& held = *it->second;
    progress = std::clamp(progress, 0.0, 1.0);
    if (stage == held.job.stage && progress <= held.job.progress) return;
    held.job.stage = stage;
    held.job.progress = std::max(held.job.progress, progress);
    const double elapsed = std::chrono::duration<double>(Clock::now() - held.started).count();
    if (held.job.progress >= 0.02)
      held.job.eta_s = std::max(0.0, elapsed * (1.0 - held.job.progress) / held.job.progress);
    // Written to the database by the next heartbeat (at most a second later).
  }

  bool stop_requested() const override {
    std::lock_guard lock(runner_.mutex_);
    if (runner_.stopping_) return true;
    const auto it = runner_.held_.find(id_);
    return it == runner_.held_.end() || it->second->cancel_requested || it->second->lost;
  }

 private:
  SharedRunner& runner_;
  std::string id_;
};

namespace {

std::string make_worker_id(const std::string& name) {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  std::random_device random;
  return (name.empty() ? std::string(host) : name) + ":" + std::to_string(::getpid()) + ":" +
         std::to_string(random() % 100000);
}

void log_failure(const char* what, const std::string& id, const std::exception& e) {
  std::cerr << "{\"event\":\"" << what << "\",\"job\":\"" << id << "\"}: " << e.what() << std::endl;
}

}  // namespace

SharedRunner::SharedRunner(std::shared_ptr<JobStore> store, int threads, JobRunner::Work work,
                           JobRunnerOptions options)
    : store_(std::move(store)), work_(std::move(work)), options_(options), worker_(make_worker_id(options.name)) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { run_thread(); });
  if (threads > 0) heartbeat_ = std::thread([this] { heartbeat_thread(); });
}

SharedRunner::~SharedRunner() { shutdown(); }

void SharedRunner::shutdown() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  paused_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  if (heartbeat_.joinable()) heartbeat_.join();
}

bool SharedRunner::shutting_down() const {
  std::lock_guard lock(mutex_);
  return stopping_;
}

JobRecord SharedRunner::submit(JobRecord job, std::span<const std::uint8_t> upload, const JobQuota& quota) {
  job.state = "queued";
  job.stage.clear();
  job.progress = 0;
  job.eta_s.reset();
  JobRecord stored = store_->create(std::move(job), upload, quota);
  wake_.notify_one();  // a thread of this process may take it at once; others find it at their next poll
  return stored;
}

std::optional<JobRecord> SharedRunner::get(const std::string& id) { return store_->get(id); }

std::vector<JobRecord> SharedRunner::recent(int limit, std::optional<std::int64_t> owner) {
  return store_->recent(limit, owner);
}

std::optional<JobRecord> SharedRunner::cancel(const std::string& id) {
  auto job = store_->request_cancel(id);
  std::lock_guard lock(mutex_);
  if (auto it = held_.find(id); it != held_.end()) it->second->cancel_requested = true;  // no need to wait for the heartbeat
  return job;
}

std::optional<JobRunner::Snapshot> SharedRunner::wait_for_change(const std::string& id, std::uint64_t seen,
                                                                 std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    auto job = store_->get(id);
    if (!job) return std::nullopt;
    std::unique_lock lock(mutex_);
    if (job->version > seen || stopping_ || Clock::now() >= deadline) {
      const std::uint64_t version = job->version;
      return JobRunner::Snapshot{std::move(*job), version};
    }
    paused_.wait_for(lock, std::min<Clock::duration>(options_.poll, deadline - Clock::now()),
                     [this] { return stopping_; });
  }
}

void SharedRunner::run_thread() {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    std::optional<JobRecord> job;
    try {
      job = store_->claim(worker_, options_.lease);
    } catch (const std::exception& e) {
      log_failure("job_claim_failed", "", e);  // the database may be restarting: try again at the next poll
    }
    if (job) {
      run_claimed(std::move(*job));
      continue;
    }
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, options_.poll, [this] { return stopping_; });
  }
}

void SharedRunner::run_claimed(JobRecord job) {
  const std::string id = job.id;
  if (job.cancel_requested) {  // cancelled while its previous worker ran it, then that one died
    job.state = "cancelled";
    finish(std::move(job), false);
    return;
  }
  {
    std::lock_guard lock(mutex_);
    auto held = std::make_unique<Held>();
    held->job = job;
    held->started = Clock::now();
    held_[id] = std::move(held);
  }
  std::cerr << "{\"event\":\"job_claimed\",\"job\":\"" << id << "\",\"worker\":\"" << worker_ << "\"}" << std::endl;
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
    log_failure("job_failed", id, e);
  }
  Held held;
  bool stopping = false;
  {
    std::lock_guard lock(mutex_);
    held = std::move(*held_[id]);
    held_.erase(id);
    stopping = stopping_;
  }
  JobRecord out = held.job;
  out.eta_s.reset();
  // Another run of this job (a worker that lost its lease but went on) may have stored the analysis:
  // the job is done with that one (the analyses' job_id is unique, so ours could not be stored).
  if (analysis_id.empty() && !held.cancel_requested && !held.lost) {
    try {
      if (auto existing = store_->analysis_of_job(id)) analysis_id = *existing;
    } catch (const std::exception&) {
    }
  }
  if (!analysis_id.empty()) {
    out.state = "done";
    out.stage = "done";
    out.progress = 1;
    out.eta_s = 0.0;
    out.analysis_id = analysis_id;
  } else if (held.cancel_requested) {
    out.state = "cancelled";
  } else if (stopping || held.lost) {
    // Not the job's fault: given back to the queue (if still ours) for another worker.
    out.state = "queued";
    out.stage.clear();
    out.progress = 0;
  } else {
    out.state = "failed";
    out.error_code = error_code;
    out.error_message = error_message;
  }
  finish(std::move(out), held.lost);
}

void SharedRunner::finish(JobRecord job, bool lost) {
  bool finished = false;
  try {
    finished = store_->finish(job, worker_);
  } catch (const std::exception& e) {
    log_failure("job_store_failed", job.id, e);
  }
  if (!finished)  // the lease ran out: another worker holds the job and finishes it
    std::cerr << "{\"event\":\"job_lease_lost\",\"job\":\"" << job.id << "\",\"worker\":\"" << worker_
              << "\",\"known\":" << (lost ? "true" : "false") << "}" << std::endl;
}

void SharedRunner::heartbeat_thread() {
  const auto interval = std::clamp<std::chrono::milliseconds>(options_.lease / 3, std::chrono::milliseconds(50),
                                                              std::chrono::milliseconds(1000));
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    paused_.wait_for(lock, interval, [this] { return stopping_; });
    std::vector<JobRecord> jobs;
    for (const auto& [id, held] : held_)
      if (!held->lost) jobs.push_back(held->job);
    lock.unlock();
    for (const auto& job : jobs) {
      JobStore::Renewal renewal;
      bool failed = false;
      try {
        renewal = store_->renew(job, worker_, options_.lease);
      } catch (const std::exception& e) {
        failed = true;  // the database is unreachable: keep going while the lease lasts
        log_failure("job_renew_failed", job.id, e);
      }
      std::lock_guard relock(mutex_);
      const auto it = held_.find(job.id);
      if (it == held_.end() || failed) continue;
      if (!renewal.held) it->second->lost = true;
      if (renewal.cancel_requested) it->second->cancel_requested = true;
    }
    lock.lock();
  }
}

}  // namespace soundlens
