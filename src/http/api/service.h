#pragma once
// The soundlens API: the handlers behind every route of route_table().
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analysis/analysis.h"
#include "auth/auth_mode.h"
#include "auth/rate_limiter.h"
#include "auth/sign_in_throttle.h"
#include "http/server/http_server.h"
#include "http/server/http_types.h"
#include "privacy/speech_redaction.h"
#include "storage/analysis_store.h"
#include "storage/auth_store.h"

namespace soundlens::http {

struct ServiceConfig {
  std::string model_name;           // the one model this server serves
  std::vector<std::string> model_search_path;
  double max_duration_s = 3600;
  AnalysisLimits limits;            // windows and time one analysis may take
  std::size_t max_upload_bytes = 100u << 20;
  int max_concurrent = 2;           // analyses running at once
  int queue_size = 4;               // analyses waiting for a slot; more get 503
  // Explanations computed on request (the explanation, its audio, figures)
  // have slots of their own, so that uploads and listings never wait behind
  // them; one whose estimated cost (seconds of audio through the network,
  // analysis/explanation_cost.h) exceeds explain_budget_s is refused (422).
  int explain_slots = 1;
  int explain_queue_size = 4;
  double explain_budget_s = 30000;
  std::string web_dir;              // the static web app (index.html, _next/...)
  std::string docs_dir;             // swagger-ui-dist files for /docs
  std::string version;
  // Jobs: with a data directory, uploads longer than async_over_s of audio (or
  // with async=1) run in the background as stored jobs (DATA_DIR/soundlens.db, DATA_DIR/jobs/).
  std::string data_dir;             // "" = no jobs: every upload is synchronous
  // PostgreSQL (a postgresql:// conninfo): jobs are a queue in the database,
  // shared with every server and `soundlens worker`; data_dir is then unused by jobs.
  std::string database;
  int job_workers = -1;             // job threads here; -1 = max_concurrent; 0 = none (PostgreSQL only)
  double job_lease_s = 30;          // PostgreSQL: a job whose worker stops renewing is claimed again after this
  double async_over_s = 60;
  int max_event_streams = 8;        // SSE streams open at once (each holds a connection thread)
  // Authentication (see auth/): with `required`, the API needs a key and the
  // Service needs an AuthStore; install_secret is what keys are hashed with.
  auth::AuthMode auth = auth::AuthMode::off;
  auth::RateLimits rate_limits;
  std::string install_secret;
  // Web sign-in (with authentication required): sessions last this long; with
  // cookie_secure the cookie gets `Secure` (serve it behind a TLS proxy).
  std::int64_t session_lifetime_s = 12 * 3600;
  bool cookie_secure = false;
  auth::SignInLimits sign_in_limits;  // failed sign-ins per account and per address (auth/sign_in_throttle.h)
  // Privacy (see service/audio_free.h, service/retention_task.h): without
  // store_audio the upload is never written (only results, figures and the
  // overview spectrogram are kept; routes needing the audio answer 410);
  // analyses and final jobs older than retention_days are removed (0 = never).
  bool store_audio = true;
  int retention_days = 0;
  // --redact-speech: spans where the model's Speech classes reach the
  // threshold are silenced before the audio is analysed and stored (privacy/).
  bool redact_speech = false;
  double redact_speech_threshold = RedactionOptions{}.threshold;
  // Either privacy option: the viewer's spectrograms are kept coarse (privacy/viewer_spectrogram.h).
  bool coarse_viewer() const { return redact_speech || !store_audio; }
  // Quotas: per user, the jobs queued or running and the bytes of their
  // uploads (0 = unlimited; beyond: 429 quota_exceeded); and the server's disk
  // budget: what is kept free on the data directory's file system (beyond:
  // 507; -1 = auto, see http/disk_budget.h; 0 = no check).
  int max_queued_jobs_per_user = 20;
  std::int64_t max_queued_mb_per_user = 2048;
  std::int64_t min_free_disk_mb = -1;
  // Live sessions (issue 23): open at once on the server and per user (beyond: 429), and the seconds
  // without a chunk after which a session ends, stored up to where it was.
  int max_live_sessions = 8;
  int max_live_sessions_per_user = 2;
  double live_idle_timeout_s = 30;
};

// Server limits that follow from the service's: the body limit leaves room
// for the multipart envelope around the largest upload, and there are enough
// connection threads for every running and queued analysis plus quick requests.
ServerOptions server_options_for(const ServiceConfig& config);

struct ServiceState;

class Service {
 public:
  // auth_store: users, keys and the audit log; required when config.auth is
  // required (throws Error(internal) otherwise); without one nothing is audited.
  Service(ServiceConfig config, std::shared_ptr<AnalysisStore> store, std::shared_ptr<AuthStore> auth_store = nullptr);
  ~Service();
  // Until this is called, /health and every analysis route answer 503.
  // Also starts the jobs a previous process left unfinished.
  void set_analyzer(std::shared_ptr<const Analyzer> analyzer);
  std::map<std::string, Handler> handlers();
  // The access rule of each route for a request's head alone, for the server
  // to refuse a request before reading its body (see HttpServer); empty when
  // authentication is off (there is nothing to check).
  HeadCheck head_check();
  // Before stopping the server: event streams end, running jobs stop and stay
  // queued in the store (they run again at the next start).
  void shutdown();

 private:
  std::shared_ptr<ServiceState> state_;
};

}  // namespace soundlens::http
