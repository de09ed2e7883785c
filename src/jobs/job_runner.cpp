#include "jobs/job_runner.h"

#include <algorithm>
#include <iostream>

#include "core/error.h"
#include "jobs/shared_runner.h"

namespace soundlens {

using Clock = std::chrono::steady_clock;

struct JobRunner::Live {
  JobRecord job;
  std::uint64_t version = 1;
  bool cancel_requested = false;
  Clock::time_point started{};      // when it began running
  Clock::time_point persisted{};    // last progress written to the store
};

class JobRunner::Context final : public JobContext {
 public:
  Context(JobRunner& runner, std::string id) : runner_(runner), id_(std::move(id)) {}

  void report(const std::string& stage, double progress) override {
    std::lock_guard lock(runner_.mutex_);
    Live* live = runner_.live_of(id_);
    if (live == nullptr || live->job.state != "running") return;
    progress = std::clamp(progress, 0.0, 1.0);
    const bool new_stage = stage != live->job.stage;
    if (!new_stage && progress <= live->job.progress) return;
    live->job.stage = stage;
    live->job.progress = std::max(live->job.progress, progress);
    const double elapsed = std::chrono::duration<double>(Clock::now() - live->started).count();
    // Elapsed over progress; too early (under 2 %) the estimate says nothing.
    if (live->job.progress >= 0.02)
      live->job.eta_s = std::max(0.0, elapsed * (1.0 - live->job.progress) / live->job.progress);
    const bool persist = new_stage || Clock::now() - live->persisted > std::chrono::seconds(2);
    runner_.changed(*live, persist);
  }

  bool stop_requested() const override {
    std::lock_guard lock(runner_.mutex_);
    if (runner_.stopping_) return true;
    const auto it = runner_.live_.find(id_);
    return it != runner_.live_.end() && it->second->cancel_requested;
  }

 private:
  JobRunner& runner_;
  std::string id_;
};

JobRunner::JobRunner(std::shared_ptr<JobStore> store, int threads, Work work, JobRunnerOptions options)
    : store_(std::move(store)), work_(std::move(work)) {
  if (store_->shared()) {
    shared_ = std::make_unique<SharedRunner>(store_, std::max(0, threads), work_, options);
    return;
  }
  for (int i = 0; i < std::max(1, threads); ++i) threads_.emplace_back([this] { run_thread(); });
}

JobRunner::~JobRunner() { shutdown(); }

void JobRunner::shutdown() {
  if (shared_) return shared_->shutdown();
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  change_cv_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
}

bool JobRunner::shutting_down() const {
  if (shared_) return shared_->shutting_down();
  std::lock_guard lock(mutex_);
  return stopping_;
}

std::string JobRunner::user_of(const JobRecord& job) { return job.owner ? std::to_string(*job.owner) : ""; }

JobRecord JobRunner::submit(JobRecord job, std::span<const std::uint8_t> upload, const JobQuota& quota) {
  if (shared_) return shared_->submit(std::move(job), upload, quota);
  job.state = "queued";
  job.stage.clear();
  job.progress = 0;
  job.eta_s.reset();
  JobRecord stored = store_->create(std::move(job), upload, quota);
  {
    std::lock_guard lock(mutex_);
    auto live = std::make_unique<Live>();
    live->job = stored;
    live_[stored.id] = std::move(live);
    queue_.push(user_of(stored), stored.id);
  }
  queue_cv_.notify_one();
  return stored;
}

void JobRunner::recover() {
  // Shared: a job whose worker died is claimed again once its lease runs out.
  if (shared_) return;
  for (auto& job : store_->unfinished()) {
    std::cerr << "{\"event\":\"job_recovered\",\"job\":\"" << job.id << "\",\"was\":\"" << job.state << "\"}"
              << std::endl;
    {
      std::lock_guard lock(mutex_);
      auto live = std::make_unique<Live>();
      job.state = "queued";
      job.stage.clear();
      job.progress = 0;
      job.eta_s.reset();
      live->job = job;
      changed(*live, true);
      live_[job.id] = std::move(live);
      queue_.push(user_of(job), job.id);
    }
    queue_cv_.notify_one();
  }
}

JobRunner::Live* JobRunner::live_of(const std::string& id) {
  if (auto it = live_.find(id); it != live_.end()) return it->second.get();
  auto stored = store_->get(id);
  if (!stored) return nullptr;
  // Bounded: finished jobs are read back from the store when asked for again.
  if (live_.size() >= 1000)
    std::erase_if(live_, [](const auto& entry) { return is_final_job_state(entry.second->job.state); });
  auto live = std::make_unique<Live>();
  live->job = std::move(*stored);
  return (live_[id] = std::move(live)).get();
}

void JobRunner::changed(Live& live, bool persist) {
  ++live.version;
  if (persist) {
    live.persisted = Clock::now();
    try {
      store_->update(live.job);
    } catch (const std::exception& e) {
      std::cerr << "{\"event\":\"job_store_failed\",\"job\":\"" << live.job.id << "\"}: " << e.what() << std::endl;
    }
  }
  change_cv_.notify_all();
}

std::optional<JobRecord> JobRunner::get(const std::string& id) {
  if (shared_) return shared_->get(id);
  std::lock_guard lock(mutex_);
  Live* live = live_of(id);
  if (live == nullptr) return std::nullopt;
  return live->job;
}

std::vector<JobRecord> JobRunner::recent(int limit, std::optional<std::int64_t> owner) {
  if (shared_) return shared_->recent(limit, owner);
  auto jobs = store_->recent(limit, owner);
  std::lock_guard lock(mutex_);
  for (auto& job : jobs)
    if (auto it = live_.find(job.id); it != live_.end()) job = it->second->job;  // the live progress
  return jobs;
}

std::optional<JobRecord> JobRunner::cancel(const std::string& id) {
  if (shared_) return shared_->cancel(id);
  std::lock_guard lock(mutex_);
  Live* live = live_of(id);
  if (live == nullptr) return std::nullopt;
  if (is_final_job_state(live->job.state)) return live->job;
  live->cancel_requested = true;
  if (live->job.state == "queued") {
    // Never runs: its thread skips it when it comes up in the queue.
    live->job.state = "cancelled";
    live->job.eta_s.reset();
    changed(*live, true);
  } else {
    ++live->version;  // running: it stops at its next batch of windows, then becomes cancelled
    change_cv_.notify_all();
  }
  return live->job;
}

std::optional<JobRunner::Snapshot> JobRunner::wait_for_change(const std::string& id, std::uint64_t seen,
                                                              std::chrono::milliseconds timeout) {
  if (shared_) return shared_->wait_for_change(id, seen, timeout);
  std::unique_lock lock(mutex_);
  Live* live = live_of(id);
  if (live == nullptr) return std::nullopt;
  change_cv_.wait_for(lock, timeout, [&] {
    live = live_of(id);  // the map may have been trimmed while waiting
    return stopping_ || live == nullptr || live->version > seen;
  });
  if (live == nullptr) return std::nullopt;
  return Snapshot{live->job, live->version};
}

void JobRunner::run_thread() {
  for (;;) {
    std::pair<std::string, std::string> next;  // {user, job id}
    {
      std::unique_lock lock(mutex_);
      queue_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      next = queue_.pop();
    }
    run_one(next.second);
    std::lock_guard lock(mutex_);
    queue_.finished(next.first);
  }
}

void JobRunner::run_one(const std::string& id) {
  JobRecord job;
  {
    std::lock_guard lock(mutex_);
    Live* live = live_of(id);
    if (live == nullptr || live->job.state != "queued") return;  // cancelled while queued
    live->job.state = "running";
    live->job.stage = "starting";
    live->started = Clock::now();
    changed(*live, true);
    job = live->job;
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
  std::lock_guard lock(mutex_);
  Live* live = live_of(id);
  if (live == nullptr) return;
  JobRecord& out = live->job;
  out.eta_s.reset();
  if (!analysis_id.empty()) {
    out.state = "done";
    out.stage = "done";
    out.progress = 1;
    out.eta_s = 0.0;
    out.analysis_id = analysis_id;
  } else if (stopping_ && !live->cancel_requested) {
    // Shutting down: not the job's fault. It stays queued in the store and runs at the next start.
    out.state = "queued";
    out.stage.clear();
    out.progress = 0;
  } else if (live->cancel_requested) {
    out.state = "cancelled";
  } else {
    out.state = "failed";
    out.error_code = error_code;
    out.error_message = error_message;
  }
  changed(*live, true);
}

}  // namespace soundlens
