#pragma once
// What the route handlers share. Internal to http.
#include <atomic>
#include <memory>
#include <mutex>
#include <string_view>

#include "analysis/analysis.h"
#include "http/admission_gate.h"
#include "http/model_set.h"
#include "http/service.h"
#include "jobs/job_runner.h"
#include "storage/analysis_store.h"

namespace soundlens::http {

struct ServiceState {
  ServiceState(ServiceConfig c, std::shared_ptr<AnalysisStore> s)
      : config(std::move(c)),
        store(std::move(s)),
        gate(config.max_concurrent, config.queue_size),
        models(config.model_name, config.model_search_path) {}

  ServiceConfig config;
  std::shared_ptr<AnalysisStore> store;
  AdmissionGate gate;
  ModelSet models;  // the default model and the others, loaded on first use
  // Jobs (when the config has a data directory): their store and runner.
  std::shared_ptr<JobStore> job_store;
  std::shared_ptr<JobRunner> jobs;
  std::atomic<int> event_streams = 0;

  // The default model: throws Error(model_not_loaded) until it is ready.
  std::shared_ptr<const Analyzer> analyzer() const;
  bool model_ready() const;
  void set_analyzer(std::shared_ptr<const Analyzer> analyzer);

  // The model a `model` parameter names (absent or empty: the default), loaded on first use.
  std::shared_ptr<const Analyzer> analyzer(const std::optional<std::string>& requested) const;
  // The model a stored analysis was made with: what recomputes from it must use.
  std::shared_ptr<const Analyzer> analyzer_of(const StoredAnalysis& stored) const;
  Audio decode_upload(std::string_view bytes) const;
  StoredAnalysis stored_or_404(const std::string& id) const;
  Audio decode_stored(const StoredAnalysis& stored) const;
};

}  // namespace soundlens::http
