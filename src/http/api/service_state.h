#pragma once
// What the route handlers share. Internal to http.
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>
#include <string_view>

#include "analysis/analysis.h"
#include "auth/rate_limiter.h"
#include "auth/sign_in_throttle.h"
#include "http/server/admission_gate.h"
#include "http/server/client_watch.h"
#include "http/api/audio_budget.h"
#include "http/server/http_types.h"
#include "http/api/service.h"
#include "http/api/shared_work.h"
#include "jobs/job_runner.h"
#include "service/live_sessions.h"
#include "service/pipeline.h"
#include "service/retention_task.h"
#include "storage/analysis_store.h"
#include "storage/auth_store.h"
#include "storage/batch_store.h"
#include "storage/session_store.h"

namespace soundlens::http {

// The service's settings among the server's.
service::PipelineSettings pipeline_settings(const ServiceConfig& config);

struct ServiceState {
  ServiceState(ServiceConfig c, std::shared_ptr<AnalysisStore> s, std::shared_ptr<AuthStore> a)
      : config(std::move(c)),
        store(std::move(s)),
        auth_store(std::move(a)),
        gate(config.max_concurrent, config.queue_size),
        explain_gate(config.explain_slots, config.explain_queue_size, "explanations"),
        pipeline(std::make_shared<service::AnalysisPipeline>(pipeline_settings(config), store)),
        rate_limiter(config.rate_limits),
        sign_in_throttle(config.sign_in_limits) {}

  ServiceConfig config;
  std::shared_ptr<AnalysisStore> store;
  std::shared_ptr<AuthStore> auth_store;  // may be null when authentication is off
  AdmissionGate gate;
  AdmissionGate explain_gate;  // explanations recomputed on request: never in the way of uploads
  ClientWatch client_watch;    // stops explanations whose clients hung up
  SharedWork shared_work{client_watch};  // identical explanations in flight are computed once
  // The upload-to-stored-analysis pipeline, with the default model and the others (loaded on first use).
  std::shared_ptr<service::AnalysisPipeline> pipeline;
  // Jobs (when the config has a data directory): their store and runner.
  std::shared_ptr<JobStore> job_store;
  std::shared_ptr<JobRunner> jobs;
  std::shared_ptr<BatchStore> batch_store;  // with jobs: batches of uploads, each file a job
  std::atomic<int> event_streams = 0;
  std::unique_ptr<service::RetentionTask> retention;  // with config.retention_days > 0
  auth::RateLimiter rate_limiter;
  JobAudioCharges job_audio_charges;  // what the jobs accepted here were charged, until they end
  // Web sign-in: sessions (with an auth store and a data directory), and failed sign-ins per account and address.
  std::shared_ptr<SessionStore> sessions;
  auth::SignInThrottle sign_in_throttle;
  // Live sessions (http/live_routes.h); their event streams are counted apart from the jobs'.
  std::unique_ptr<service::LiveSessions> live;
  std::atomic<int> live_streams = 0;
  std::atomic<bool> live_shutdown = false;

  // The default model: throws Error(model_not_loaded) until it is ready.
  std::shared_ptr<const Analyzer> analyzer() const;
  bool model_ready() const;
  void set_analyzer(std::shared_ptr<const Analyzer> analyzer);

  // The model a `model` parameter names (absent or empty: the default), loaded on first use.
  std::shared_ptr<const Analyzer> analyzer(const std::optional<std::string>& requested) const;
  // The model a stored analysis was made with: what recomputes from it must use.
  std::shared_ptr<const Analyzer> analyzer_of(const StoredAnalysis& stored) const;
  // The model of a map of a stored analysis, from the `model` parameter: of a
  // fused analysis one of its parts (absent: its first), returned by name; of
  // any other its own model or nothing, returned as "" (its maps are untagged).
  // Error(bad_request) naming `model` for anything else.
  std::string map_model(const StoredAnalysis& stored, const std::optional<std::string>& requested) const;
  Audio decode_upload(std::string_view bytes) const { return pipeline->decode_upload(bytes); }
  // The analysis named by the request's {id}, if its caller may see it: a
  // member asking for another user's analysis gets the same 404 as for an
  // unknown id. Every route reading a stored analysis goes through here.
  StoredAnalysis stored_or_404(const Request& request) const;
  // The same for an id given elsewhere (e.g. a query parameter).
  StoredAnalysis stored_or_404(const Request& request, const std::string& id) const;
  // Throws Error(gone) when the analysis was stored without its audio (--store-audio no).
  Audio decode_stored(const StoredAnalysis& stored) const { return pipeline->decode_stored(stored); }
};

// Throws Error(gone) for an analysis stored without its audio (--store-audio no).
using service::require_stored_audio;

}  // namespace soundlens::http
