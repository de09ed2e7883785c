// The queue of a store every process shares (PostgreSQL): no queue in memory.
// Jobs are claimed from the database (any server may have submitted them)
// with a lease the runner renews, which also writes their progress; readers
// poll the database, so that a job run on another machine streams here too.
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <random>

#include "jobs/job_queue.h"

namespace soundlens {
namespace {

using Clock = std::chrono::steady_clock;

// This process in the jobs' `worker` column: host (or the given name), pid and a random part.
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

class SharedQueue final : public JobQueue {
 public:
  SharedQueue(std::shared_ptr<JobStore> store, const JobRunnerOptions& options)
      : store_(std::move(store)), options_(options), worker_(make_worker_id(options.name)) {}

  JobRecord submit(JobRecord job, std::span<const std::uint8_t> upload, const JobQuota& quota) override {
    JobRecord stored = store_->create(std::move(job), upload, quota);
    wake_.notify_one();  // a thread of this process may take it at once; others find it at their next poll
    return stored;
  }

  // A job whose worker died is claimed again once its lease runs out: nothing to do at start.
  void recover() override {}

  std::optional<JobRecord> claim() override {
    for (;;) {
      {
        std::lock_guard lock(mutex_);
        if (stopping_) return std::nullopt;
      }
      std::optional<JobRecord> job;
      try {
        job = store_->claim(worker_, options_.lease);
      } catch (const std::exception& e) {
        log_failure("job_claim_failed", "", e);  // the database may be restarting: try again at the next poll
      }
      if (job) {
        std::cerr << "{\"event\":\"job_claimed\",\"job\":\"" << job->id << "\",\"worker\":\"" << worker_ << "\"}"
                  << std::endl;
        return job;
      }
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, options_.poll, [this] { return stopping_; });
    }
  }

  // Written to the database by the next renewal (at most a second later).
  void progressed(const JobRecord&, bool) override {}

  std::optional<std::chrono::milliseconds> renewal_interval() const override {
    return std::clamp<std::chrono::milliseconds>(options_.lease / 3, std::chrono::milliseconds(50),
                                                 std::chrono::milliseconds(1000));
  }

  JobStore::Renewal renew(const JobRecord& job) override { return store_->renew(job, worker_, options_.lease); }

  void finish(const JobRecord& job, bool lost) override {
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

  std::optional<JobRecord> get(const std::string& id) override { return store_->get(id); }
  std::optional<JobRecord> cancel(const std::string& id) override { return store_->request_cancel(id); }
  std::vector<JobRecord> recent(int limit, std::optional<std::int64_t> owner) override {
    return store_->recent(limit, owner);
  }

  std::optional<JobRunner::Snapshot> wait_for_change(const std::string& id, std::uint64_t seen,
                                                     std::chrono::milliseconds timeout) override {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
      auto job = store_->get(id);
      if (!job) return std::nullopt;
      std::unique_lock lock(mutex_);
      if (job->version > seen || stopping_ || Clock::now() >= deadline) {
        const std::uint64_t version = job->version;
        return JobRunner::Snapshot{std::move(*job), version};
      }
      stopped_.wait_for(lock, std::min<Clock::duration>(options_.poll, deadline - Clock::now()),
                        [this] { return stopping_; });
    }
  }

  void stop() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    stopped_.notify_all();
  }

 private:
  std::shared_ptr<JobStore> store_;
  JobRunnerOptions options_;
  std::string worker_;
  std::mutex mutex_;
  std::condition_variable wake_;     // the claiming threads: a submit here, or stop
  std::condition_variable stopped_;  // readers polling the database: stop
  bool stopping_ = false;
};

}  // namespace

std::unique_ptr<JobQueue> make_shared_queue(std::shared_ptr<JobStore> store, const JobRunnerOptions& options) {
  return std::make_unique<SharedQueue>(std::move(store), options);
}

}  // namespace soundlens
