// `soundlens serve`: parse parameters, check the model is there (fail fast),
// open the history, listen, load the model (health answers 503 until then),
// and on SIGTERM/SIGINT finish the requests in flight before exiting.
#include "app/serve_command.h"

#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <iostream>
#include <thread>

#include "analysis/analysis.h"
#include "app/calibration_option.h"
#include "auth/auth_mode.h"
#include "auth/install_secret.h"
#include "analysis_events/fused_analysis.h"
#include "core/error.h"
#include "core/parameters.h"
#include "http/api/route_table.h"
#include "http/server/http_server.h"
#include "http/server/request_log.h"
#include "http/api/service.h"
#include "model/model_registry.h"
#include "storage/analysis_store.h"
#include "storage/auth_store.h"
#include "app/stores.h"

namespace soundlens {
namespace {
namespace fs = std::filesystem;
using Kind = Parameter::Kind;

Parameter text(std::string name, std::string help, std::string fallback, std::vector<std::string> choices = {}) {
  Parameter p{std::move(name), std::move(help), std::move(fallback), Kind::text, 0, 0, std::move(choices)};
  return p;
}
Parameter ranged(Kind kind, std::string name, std::string help, std::string fallback, double min, double max) {
  Parameter p{std::move(name), std::move(help), std::move(fallback), kind, min, max, {}};
  return p;
}

const std::vector<Parameter>& serve_parameters() {
  static const std::vector<Parameter> declared{
      text("host", "address to listen on", "127.0.0.1"),
      ranged(Kind::integer, "port", "port to listen on; 0 lets the system choose (the chosen port is printed)",
             "8000", 0, 65535),
      data_dir_parameter(),
      database_parameter(),
      ranged(Kind::integer, "workers",
             "job threads in this server; -1 = max-concurrent; 0 = none: with --database, jobs wait for `soundlens "
             "worker` processes (short uploads are still analysed here)",
             "-1", -1, 1024),
      job_lease_parameter(),
      text("auth", "API keys: off, required, or auto (off on a loopback address, required on any other)", "auto",
           {"off", "required", "auto"}),
      ranged(Kind::integer, "rate-limit-rpm", "requests per minute per API key (beyond: 429); 0 = unlimited", "0", 0,
             1000000),
      ranged(Kind::number, "rate-limit-audio-s",
             "seconds of audio analysed per minute per API key (beyond: 429); 0 = unlimited", "0", 0, 1e9),
      ranged(Kind::integer, "max-queued-jobs-per-user",
             "jobs one user may have queued or running at once (beyond: 429 quota_exceeded); 0 = unlimited", "20", 0,
             1000000),
      ranged(Kind::integer, "max-queued-mb-per-user",
             "MB of uploads one user's queued or running jobs may hold (beyond: 429 quota_exceeded); 0 = unlimited",
             "2048", 0, 1 << 30),
      ranged(Kind::integer, "min-free-disk-mb",
             "free space kept on the data directory's file system: an upload that would leave less gets 507; "
             "-1 = 2 % of the file system, at least 1024 and at most 5120; 0 = no check",
             "-1", -1, 1 << 30),
      ranged(Kind::number, "session-hours",
             "web sign-in (with --auth required): hours a session lasts before signing in again", "12", 0.01, 720),
      text("cookie-secure",
           "web sign-in: give the session cookie the Secure flag (browsers then send it over HTTPS only); say yes "
           "when users reach the service through a TLS proxy. The service itself speaks plain HTTP",
           "no", {"yes", "no"}),
      ranged(Kind::integer, "sign-in-per-minute",
             "failed web sign-ins per minute per client address; beyond, 429 for names it has not signed in to before",
             "10", 1, 100000),
      ranged(Kind::integer, "sign-in-account-failures",
             "failed web sign-ins of one name (from anywhere) before each further attempt waits 1, 2, 4, ... s (429), "
             "except from an address that signed in to it before",
             "5", 1, 100000),
      ranged(Kind::integer, "sign-in-max-backoff-s", "the longest wait between two sign-ins of a backed-off name",
             "900", 1, 86400),
      text("model", "the model to serve (see `soundlens models`)", "mn04_as"),
      text("model-dir", "directory searched first for model files", ""),
      calibration_parameter(),
      // One thread per analysis: with max-concurrent analyses at once this keeps every core busy without
      // oversubscription (measured: 4 clients 26 -> 34 analyses/s, p99 340 -> 180 ms on 2 cores).
      ranged(Kind::integer, "threads", "inference threads per analysis; 0 = the cores not busy with other work at start", "1", 0, 1024),
      ranged(Kind::integer, "max-upload-mb", "largest accepted upload in MB (larger: 413)", "100", 1, 10240),
      ranged(Kind::number, "max-duration-s", "longest accepted recording in seconds (longer: 422 too_long)", "3600",
             1, 86400),
      ranged(Kind::integer, "max-concurrent", "analyses running at once; 0 = number of cores", "0", 0, 1024),
      ranged(Kind::integer, "queue-size", "analyses waiting for a slot; beyond it: 503 with Retry-After", "8", 0,
             10000),
      ranged(Kind::integer, "explain-slots",
             "explanations computed on request at once (their own slots: uploads never wait behind them)", "1", 1,
             1024),
      ranged(Kind::integer, "explain-queue-size",
             "explanations waiting for a slot; beyond it: 503 with Retry-After", "4", 0, 10000),
      ranged(Kind::number, "explain-budget-s",
             "most work one explanation on request may need, in seconds of audio through the network (one 10 s "
             "window through it once is 10; occlusion of a 10 s clip about 11,300); more: 422 naming the estimate",
             "30000", 1, 1e12),
      ranged(Kind::number, "async-over-s",
             "uploads longer than this many seconds of audio run as jobs (202 with a job to follow; also async=1)",
             "60", 0, 86400),
      ranged(Kind::integer, "http-threads",
             "requests served at once (/health has two threads of its own); 0 = max-concurrent + queue-size + "
             "explain-slots + explain-queue-size + 16 (8 for job event streams)", "0",
             0, 4096),
      ranged(Kind::integer, "read-timeout-s", "seconds to wait for each read of a client's request data", "60", 1,
             3600),
      ranged(Kind::integer, "write-timeout-s", "seconds to wait for a client to take response data", "60", 1, 3600),
      ranged(Kind::integer, "request-timeout-s",
             "seconds a whole request (line, headers and body) may take from its first byte; later: 408", "120", 1,
             86400),
      ranged(Kind::integer, "header-timeout-s",
             "seconds a request's line and headers may take from its first byte; later: 408", "10", 1, 3600),
      ranged(Kind::integer, "keep-alive-timeout-s", "seconds an idle connection is kept open", "5", 1, 3600),
      ranged(Kind::integer, "max-connections",
             "connections open at once; when full, idle ones are closed first, then new ones get 503", "512", 1,
             100000),
      ranged(Kind::number, "min-body-rate-kb-s",
             "slowest accepted request body, in KB per second on average from its start, checked after its first "
             "10 s (slower: 408); 0 = no minimum", "1", 0, 1e6),
      ranged(Kind::integer, "body-memory-mb",
             "request bodies held in memory at once while they arrive, server-wide (bodies are read without a "
             "thread; beyond this they go to the body streams)", "256", 1, 1 << 20),
      ranged(Kind::integer, "body-streams",
             "request bodies read by threads of their own as they stream (chunked, over 32 MB, or beyond "
             "--body-memory-mb); when all are busy: 503", "4", 1, 1024),
      text("allowed-hosts",
           "comma-separated host names the service answers to (Host header, any port), or *; default: the bind "
           "address, localhost, 127.0.0.1 and [::1]. Others get 400 (against DNS rebinding)",
           ""),
      text("cors-origins",
           "comma-separated origins allowed to call the API from a browser, or *; default: the service's own "
           "origin and http://localhost:3000",
           ""),
      text("web-dir", "the static web app (default: web/out of the source tree, else ./web/out)", ""),
      text("docs-dir", "swagger-ui-dist files for /docs (default: web/node_modules/swagger-ui-dist)", ""),
      text("store-audio",
           "keep uploaded recordings: yes, or no (only results, figures and the overview spectrogram are kept; "
           "routes that need the audio answer 410)",
           "yes", {"yes", "no"}),
      ranged(Kind::integer, "retention-days",
             "delete analyses (with their files) and finished jobs older than this many days, at start and hourly; "
             "0 = keep forever",
             "0", 0, 36500),
      Parameter{"redact-speech",
                "silence the spans where the model hears speech (its AudioSet Speech classes) before the audio is "
                "analysed and stored; the analysis records them (redaction: spans, fraction)",
                "", Kind::flag, 0, 0, {}},
      ranged(Kind::number, "redact-speech-threshold",
             "with --redact-speech: the speech probability from which a span is silenced (low: the silenced audio "
             "is checked to have no 1 s window at or above it, else it is not stored)", "0.3", 0.01, 1),
      ranged(Kind::integer, "max-live-sessions",
             "live sessions open at once (POST /api/v1/live); beyond: 429 with Retry-After", "8", 1, 256),
      ranged(Kind::integer, "max-live-sessions-per-user",
             "live sessions one user may have open at once (with authentication); beyond: 429", "2", 1, 256),
      ranged(Kind::number, "live-idle-timeout-s",
             "a live session that gets no chunk for this many seconds ends and is stored up to where it was", "30",
             1, 86400),
      text("log-format", "one line per request on stderr", "json", {"json", "text", "off"}),
      Parameter{"help", "show this help", "", Kind::flag, 0, 0, {}},
  };
  static const std::vector<Parameter> with_limits = [] {
    auto all = declared;
    all.insert(all.end() - 1, analysis_limit_parameters().begin(), analysis_limit_parameters().end());
    return all;
  }();
  return with_limits;
}

// Resources live in the source tree; __FILE__ is absolute in CMake builds,
// which lets a build directory anywhere find them.
std::string first_existing(const std::vector<fs::path>& candidates) {
  for (const auto& c : candidates)
    if (fs::is_directory(c)) return c.string();
  return candidates.back().string();
}

fs::path source_root() { return fs::path(__FILE__).parent_path().parent_path().parent_path(); }

std::string default_web_dir() { return first_existing({source_root() / "web" / "out", fs::path("web") / "out"}); }
std::string default_docs_dir() {
  // npm's swagger-ui-dist, installed with the web app's packages (scripts/build.sh).
  return first_existing({source_root() / "web" / "node_modules" / "swagger-ui-dist",
                         fs::path("web") / "node_modules" / "swagger-ui-dist"});
}

int cores() { return int(std::max(1u, std::thread::hardware_concurrency())); }

http::ServiceConfig service_config(const ParameterValues& p, const std::vector<std::string>& search_path) {
  http::ServiceConfig c;
  c.model_name = p.text("model");
  c.model_search_path = search_path;
  c.max_duration_s = p.number("max-duration-s");
  c.limits = analysis_limits(p);
  c.max_upload_bytes = std::size_t(p.integer("max-upload-mb")) << 20;
  c.max_concurrent = p.integer("max-concurrent") > 0 ? int(p.integer("max-concurrent")) : cores();
  c.queue_size = int(p.integer("queue-size"));
  c.explain_slots = int(p.integer("explain-slots"));
  c.explain_queue_size = int(p.integer("explain-queue-size"));
  c.explain_budget_s = p.number("explain-budget-s");
  c.web_dir = p.text("web-dir").empty() ? default_web_dir() : p.text("web-dir");
  c.docs_dir = p.text("docs-dir").empty() ? default_docs_dir() : p.text("docs-dir");
  c.version = SOUNDLENS_VERSION;
  c.data_dir = p.text("data-dir");
  c.database = database_conninfo(p);
  c.job_workers = int(p.integer("workers"));
  c.job_lease_s = p.number("job-lease-s");
  c.async_over_s = p.number("async-over-s");
  c.auth = auth::resolve_auth_mode(p.text("auth"), p.text("host"));
  c.rate_limits = {int(p.integer("rate-limit-rpm")), p.number("rate-limit-audio-s")};
  c.session_lifetime_s = std::int64_t(p.number("session-hours") * 3600);
  c.cookie_secure = p.text("cookie-secure") == "yes";
  c.sign_in_limits = {int(p.integer("sign-in-per-minute")), int(p.integer("sign-in-account-failures")),
                      int(p.integer("sign-in-max-backoff-s"))};
  c.store_audio = p.text("store-audio") == "yes";
  c.retention_days = int(p.integer("retention-days"));
  c.redact_speech = p.flag("redact-speech");
  c.redact_speech_threshold = p.number("redact-speech-threshold");
  c.max_queued_jobs_per_user = int(p.integer("max-queued-jobs-per-user"));
  c.max_queued_mb_per_user = p.integer("max-queued-mb-per-user");
  c.min_free_disk_mb = p.integer("min-free-disk-mb");
  c.max_live_sessions = int(p.integer("max-live-sessions"));
  c.max_live_sessions_per_user = int(p.integer("max-live-sessions-per-user"));
  c.live_idle_timeout_s = p.number("live-idle-timeout-s");
  return c;
}

http::ServerOptions server_options(const ParameterValues& p, const http::ServiceConfig& c) {
  http::ServerOptions o = http::server_options_for(c);
  o.host = p.text("host");
  o.port = int(p.integer("port"));
  o.read_timeout_s = int(p.integer("read-timeout-s"));
  o.write_timeout_s = int(p.integer("write-timeout-s"));
  o.request_timeout_s = int(p.integer("request-timeout-s"));
  o.header_timeout_s = int(p.integer("header-timeout-s"));
  o.keep_alive_timeout_s = int(p.integer("keep-alive-timeout-s"));
  o.max_connections = int(p.integer("max-connections"));
  o.allowed_hosts = p.text("allowed-hosts");
  o.min_body_bytes_per_s = std::size_t(p.number("min-body-rate-kb-s") * 1024);
  o.body_memory_bytes = std::size_t(p.integer("body-memory-mb")) << 20;
  o.body_streams = int(p.integer("body-streams"));
  if (p.integer("http-threads") > 0) o.worker_threads = int(p.integer("http-threads"));
  o.cors_origins = p.text("cors-origins");
  o.log_format = http::parse_log_format(p.text("log-format"));
  return o;
}

// Fails before anything starts when the model file is missing, with the
// registry's message naming the file, where it looked and where to get it.
void check_model_present(const std::string& name, const std::vector<std::string>& search_path) {
  if (is_fused_model(name))
    throw Error(ErrorCode::bad_request, "--model fused: the server's default model is one network; serve with "
                                        "mn04_as or yamnet and ask for model=fused per analysis");
  if (!find_model(name, search_path).found) load_model(name, search_path);
}

// Blocks termination signals in every thread (call before starting any), so
// that one watcher thread receives them and stops the server gracefully.
sigset_t block_termination_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

}  // namespace

Parameter data_dir_parameter() {
  return text("data-dir", "where the history lives: soundlens.db (SQLite), audio/, cache/ and auth.secret", "./data");
}

int run_serve(const std::vector<std::string>& args) {
  const auto& declared = serve_parameters();
  const ParsedCommandLine command_line = parse_parameters(declared, args);
  const ParameterValues& p = command_line.parameters;
  if (p.flag("help")) {
    std::cout << "usage: soundlens serve [options]\n\n" << parameters_help(declared);
    return 0;
  }
  if (!command_line.positional.empty())
    throw Error(ErrorCode::bad_request, "serve takes no positional arguments: " + command_line.positional[0]);

  // Options that need no model are checked first: a typo in --database is not a missing model.
  const std::string database = database_conninfo(p);
  if (p.integer("workers") == 0 && database.empty())
    throw Error(ErrorCode::bad_request, "--workers 0 needs --database: without PostgreSQL no other process runs the jobs");

  const sigset_t signals = block_termination_signals();
  ::umask(077);  // whatever a library creates in the data directory (SQLite's files, caches) is the owner's only
  const auto search_path = model_search_path(p.text("model-dir"));
  check_model_present(p.text("model"), search_path);
  const auto labels = load_labels(search_path);
  const auto calibration = served_calibration(p.text("calibration"), p.text("model"), search_path, *labels);
  set_inference_threads(int(p.integer("threads")));

  http::ServiceConfig config = service_config(p, search_path);
  const Stores stores = open_stores(p);
  std::shared_ptr<AnalysisStore> store = stores.analyses;
  std::shared_ptr<AuthStore> auth_store = stores.auth;
  config.install_secret = stores.install_secret;
  if (config.auth == auth::AuthMode::required && auth_store->list_keys().empty())
    std::cerr << "soundlens: authentication is required and there are no API keys yet: create one with "
                 "`soundlens users add NAME --role admin "
              << (config.database.empty() ? "--data-dir " + p.text("data-dir") : std::string("--database ..."))
              << "`" << std::endl;
  http::Service service(config, store, auth_store);
  http::HttpServer server(server_options(p, config), http::route_table(), service.handlers(), service.head_check());
  const int port = server.bind();
  std::cout << "soundlens " << SOUNDLENS_VERSION << ": serving http://" << p.text("host") << ":" << port
            << " (model " << config.model_name
            << (calibration ? " calibrated by " + fs::path(p.text("calibration")).filename().string() : std::string())
            << ", history in " << stores.where
            << ", " << config.max_concurrent << " analyses at once, authentication "
            << auth::auth_mode_name(config.auth) << ")" << std::endl;

  std::atomic<bool> stopping = false;
  std::atomic<int> exit_code = 0;
  std::thread loader([&] {
    try {
      auto model = load_model(config.model_name, search_path);
      if (calibration) model = calibrated(std::move(model), *calibration, p.text("calibration"), labels.get());
      service.set_analyzer(std::make_shared<Analyzer>(model, labels));
      std::cerr << "{\"event\":\"model_loaded\",\"model\":\"" << config.model_name << "\"}" << std::endl;
    } catch (const std::exception& e) {
      std::cerr << "soundlens: cannot load model " << config.model_name << ": " << e.what() << std::endl;
      exit_code = 1;
      service.shutdown();
      server.stop();
    }
  });
  std::thread watcher([&] {
    const timespec tick{0, 200'000'000};
    while (!stopping) {
      if (sigtimedwait(&signals, nullptr, &tick) > 0) {
        std::cerr << "{\"event\":\"shutdown\",\"reason\":\"signal\"}" << std::endl;
        service.shutdown();  // event streams end; running jobs stay queued for the next start
        server.stop();       // in-flight requests are finished by run() before it returns
        return;
      }
    }
  });
  server.run();
  stopping = true;
  loader.join();
  watcher.join();
  return exit_code;
}

}  // namespace soundlens
