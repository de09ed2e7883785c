#pragma once
// --retention-days N: a background task removes the analyses (with their
// audio, figures and cache) and the final jobs older than N days, at start
// and then periodically, and logs each run as one JSON line
// ({"event":"retention",...}) like the request log.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <ostream>
#include <thread>

#include "storage/analysis_store.h"
#include "storage/job_store.h"

namespace soundlens::service {

class RetentionTask {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;
  struct Removed {
    int analyses = 0;
    int jobs = 0;
  };

  // jobs may be null (a server without jobs). The clock is injectable so that
  // tests can age what is stored without waiting.
  RetentionTask(std::shared_ptr<AnalysisStore> store, std::shared_ptr<JobStore> jobs, int days, std::ostream& log,
                Clock clock = [] { return std::chrono::system_clock::now(); });
  ~RetentionTask();
  RetentionTask(const RetentionTask&) = delete;
  RetentionTask& operator=(const RetentionTask&) = delete;

  // One run: removes what is older than `days` before the clock's now and
  // logs the line. A storage error is logged (and returned as nothing removed), never thrown.
  Removed run_once();
  // Runs now and then every `period` on a thread of its own, until stop().
  void start(std::chrono::milliseconds period);
  void stop();

 private:
  std::shared_ptr<AnalysisStore> store_;
  std::shared_ptr<JobStore> jobs_;
  int days_;
  std::ostream& log_;
  Clock clock_;
  std::mutex mutex_;  // guards stopping_ and the log
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace soundlens::service
