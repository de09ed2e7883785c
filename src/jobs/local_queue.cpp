// The queue of a store only this process uses (SQLite): job ids in a fair
// queue in memory, each job's live state (stage, progress, version) in a map
// that readers wait on. Progress is written to the store when a stage begins
// and at most every 2 s otherwise; states at once.
#include <algorithm>
#include <condition_variable>
#include <iostream>
#include <map>
#include <mutex>

#include "jobs/fair_queue.h"
#include "jobs/job_queue.h"

namespace soundlens {
namespace {

using Clock = std::chrono::steady_clock;

class LocalQueue final : public JobQueue {
 public:
  explicit LocalQueue(std::shared_ptr<JobStore> store) : store_(std::move(store)) {}

  JobRecord submit(JobRecord job, std::span<const std::uint8_t> upload, const JobQuota& quota) override {
    JobRecord stored = store_->create(std::move(job), upload, quota);
    {
      std::lock_guard lock(mutex_);
      live_[stored.id] = std::make_unique<Live>(Live{stored});
      queue_.push(user_of(stored), stored.id);
    }
    queued_.notify_one();
    return stored;
  }

  void recover() override {
    for (auto& job : store_->unfinished()) {
      std::cerr << "{\"event\":\"job_recovered\",\"job\":\"" << job.id << "\",\"was\":\"" << job.state << "\"}"
                << std::endl;
      {
        std::lock_guard lock(mutex_);
        job.state = "queued";
        job.stage.clear();
        job.progress = 0;
        job.eta_s.reset();
        auto live = std::make_unique<Live>(Live{job});
        changed(*live, true);
        live_[job.id] = std::move(live);
        queue_.push(user_of(job), job.id);
      }
      queued_.notify_one();
    }
  }

  std::optional<JobRecord> claim() override {
    std::unique_lock lock(mutex_);
    for (;;) {
      queued_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return std::nullopt;
      const auto [user, id] = queue_.pop();
      Live* live = live_of(id);
      if (live == nullptr || live->job.state != "queued") {  // cancelled while queued: never runs
        queue_.finished(user);
        continue;
      }
      live->job.state = "running";
      live->job.stage = "starting";
      changed(*live, true);
      return live->job;
    }
  }

  void progressed(const JobRecord& job, bool new_stage) override {
    std::lock_guard lock(mutex_);
    Live* live = live_of(job.id);
    if (live == nullptr) return;
    live->job.stage = job.stage;
    live->job.progress = job.progress;
    live->job.eta_s = job.eta_s;
    changed(*live, new_stage || Clock::now() - live->persisted > std::chrono::seconds(2));
  }

  // Nobody else takes this store's jobs: a claim holds until the job ends.
  std::optional<std::chrono::milliseconds> renewal_interval() const override { return std::nullopt; }
  JobStore::Renewal renew(const JobRecord&) override { return {true, false}; }

  void finish(const JobRecord& job, bool) override {
    std::lock_guard lock(mutex_);
    queue_.finished(user_of(job));
    Live* live = live_of(job.id);
    if (live == nullptr) return;
    live->job = job;
    changed(*live, true);
  }

  std::optional<JobRecord> get(const std::string& id) override {
    std::lock_guard lock(mutex_);
    Live* live = live_of(id);
    if (live == nullptr) return std::nullopt;
    return live->job;
  }

  std::optional<JobRecord> cancel(const std::string& id) override {
    std::lock_guard lock(mutex_);
    Live* live = live_of(id);
    if (live == nullptr) return std::nullopt;
    if (is_final_job_state(live->job.state)) return live->job;
    if (live->job.state == "queued") {
      // Never runs: claim() skips it when it comes up in the queue.
      live->job.state = "cancelled";
      live->job.eta_s.reset();
      changed(*live, true);
    } else {
      live->job.cancel_requested = true;  // running: it stops at its next check, then becomes cancelled
      ++live->version;
      changed_cv_.notify_all();
    }
    return live->job;
  }

  std::vector<JobRecord> recent(int limit, std::optional<std::int64_t> owner) override {
    auto jobs = store_->recent(limit, owner);
    std::lock_guard lock(mutex_);
    for (auto& job : jobs)
      if (auto it = live_.find(job.id); it != live_.end()) job = it->second->job;  // the live progress
    return jobs;
  }

  std::optional<JobRunner::Snapshot> wait_for_change(const std::string& id, std::uint64_t seen,
                                                     std::chrono::milliseconds timeout) override {
    std::unique_lock lock(mutex_);
    Live* live = live_of(id);
    if (live == nullptr) return std::nullopt;
    changed_cv_.wait_for(lock, timeout, [&] {
      live = live_of(id);  // the map may have been trimmed while waiting
      return stopping_ || live == nullptr || live->version > seen;
    });
    if (live == nullptr) return std::nullopt;
    return JobRunner::Snapshot{live->job, live->version};
  }

  void stop() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    queued_.notify_all();
    changed_cv_.notify_all();
  }

 private:
  struct Live {
    JobRecord job;
    std::uint64_t version = 1;
    Clock::time_point persisted{};  // last written to the store
  };

  static std::string user_of(const JobRecord& job) { return job.owner ? std::to_string(*job.owner) : ""; }

  // With mutex_ held; loads a stored job.
  Live* live_of(const std::string& id) {
    if (auto it = live_.find(id); it != live_.end()) return it->second.get();
    auto stored = store_->get(id);
    if (!stored) return nullptr;
    // Bounded: finished jobs are read back from the store when asked for again.
    if (live_.size() >= 1000)
      std::erase_if(live_, [](const auto& entry) { return is_final_job_state(entry.second->job.state); });
    return (live_[id] = std::make_unique<Live>(Live{std::move(*stored)})).get();
  }

  // With mutex_ held.
  void changed(Live& live, bool persist) {
    ++live.version;
    if (persist) {
      live.persisted = Clock::now();
      try {
        store_->update(live.job);
      } catch (const std::exception& e) {
        std::cerr << "{\"event\":\"job_store_failed\",\"job\":\"" << live.job.id << "\"}: " << e.what() << std::endl;
      }
    }
    changed_cv_.notify_all();
  }

  std::shared_ptr<JobStore> store_;
  std::mutex mutex_;
  std::condition_variable queued_, changed_cv_;
  FairQueue queue_;
  std::map<std::string, std::unique_ptr<Live>> live_;
  bool stopping_ = false;
};

}  // namespace

std::unique_ptr<JobQueue> make_local_queue(std::shared_ptr<JobStore> store) {
  return std::make_unique<LocalQueue>(std::move(store));
}

}  // namespace soundlens
