#include "service/retention_task.h"

#include <nlohmann/json.hpp>

#include "storage/ids.h"

namespace soundlens::service {

RetentionTask::RetentionTask(std::shared_ptr<AnalysisStore> store, std::shared_ptr<JobStore> jobs, int days,
                             std::ostream& log, Clock clock)
    : store_(std::move(store)), jobs_(std::move(jobs)), days_(days), log_(log), clock_(std::move(clock)) {}

RetentionTask::~RetentionTask() { stop(); }

RetentionTask::Removed RetentionTask::run_once() {
  const auto t0 = std::chrono::steady_clock::now();
  const auto cutoff = clock_() - std::chrono::hours(24) * days_;
  Removed removed;
  nlohmann::json line = {{"event", "retention"}, {"days", days_}, {"cutoff", storage::utc_iso(cutoff)}};
  try {
    removed.analyses = store_->remove_older_than(cutoff);
    if (jobs_) removed.jobs = jobs_->remove_final_older_than(cutoff);
  } catch (const std::exception& e) {
    line["error"] = e.what();  // the next run tries again
  }
  line["analyses_removed"] = removed.analyses;
  line["jobs_removed"] = removed.jobs;
  line["ms"] = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  std::lock_guard lock(mutex_);
  log_ << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
  return removed;
}

void RetentionTask::start(std::chrono::milliseconds period) {
  stop();
  {
    std::lock_guard lock(mutex_);
    stopping_ = false;
  }
  thread_ = std::thread([this, period] {
    for (;;) {
      run_once();
      std::unique_lock lock(mutex_);
      if (wake_.wait_for(lock, period, [this] { return stopping_; })) return;
    }
  });
}

void RetentionTask::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace soundlens::service
