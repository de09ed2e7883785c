#pragma once
// What the route handlers share. Internal to http.
#include <atomic>
#include <memory>
#include <mutex>
#include <string_view>

#include "analysis/analysis.h"
#include "http/admission_gate.h"
#include "http/service.h"
#include "jobs/job_runner.h"
#include "storage/analysis_store.h"

namespace soundlens::http {

struct ServiceState {
  ServiceState(ServiceConfig c, std::shared_ptr<AnalysisStore> s)
      : config(std::move(c)), store(std::move(s)), gate(config.max_concurrent, config.queue_size) {}

  ServiceConfig config;
  std::shared_ptr<AnalysisStore> store;
  AdmissionGate gate;
  // Jobs (when the config has a data directory): their store and runner.
  std::shared_ptr<JobStore> job_store;
  std::shared_ptr<JobRunner> jobs;
  std::atomic<int> event_streams = 0;

  // Throws Error(model_not_loaded) until the model is ready.
  std::shared_ptr<const Analyzer> analyzer() const;
  bool model_ready() const;
  void set_analyzer(std::shared_ptr<const Analyzer> analyzer);

  // Rejects a `model` parameter naming another model than the one served.
  void check_model_param(const std::optional<std::string>& requested) const;
  Audio decode_upload(std::string_view bytes) const;
  StoredAnalysis stored_or_404(const std::string& id) const;
  Audio decode_stored(const StoredAnalysis& stored) const;

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Analyzer> analyzer_;
};

}  // namespace soundlens::http
