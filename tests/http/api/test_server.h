#pragma once
// An in-process soundlens server on an OS-chosen port, with its own data
// directory, serving the real model; and helpers for a real HTTP client.
#include <httplib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/server/http_server.h"
#include "http/api/service.h"

namespace soundlens::test {

struct TestServerOptions {
  bool load_model = true;
  double max_duration_s = 3600;
  std::size_t max_upload_bytes = 100u << 20;
  int max_concurrent = 2;
  int queue_size = 8;
  AnalysisLimits limits;
  std::string web_dir;  // default: a small fake web app made in the data dir
  // Connection limits (see http::ServerOptions); defaults as in `serve`.
  int request_timeout_s = 120;
  int header_timeout_s = 10;
  int keep_alive_timeout_s = 5;
  int max_connections = 512;
  std::string allowed_hosts;
  // Request bodies (see http::ServerOptions); defaults as in `serve`.
  std::size_t min_body_bytes_per_s = 1024;
  int body_rate_grace_s = 10;
  std::size_t body_memory_bytes = 256u << 20;
  std::size_t max_buffered_body_bytes = 32u << 20;
  int body_streams = 4;
  int read_timeout_s = 60;
  http::LogFormat log_format = http::LogFormat::off;
  // Jobs: uploads longer than this run as jobs (default: never by length; async=1 still does).
  double async_over_s = 1e9;
  // Authentication (default off, as `serve` on loopback): keys come from issue_key().
  auth::AuthMode auth = auth::AuthMode::off;
  auth::RateLimits rate_limits;
  // Web sign-in: the cookie's Secure flag, and its limits on failures (tests sign in often).
  bool cookie_secure = false;
  auth::SignInLimits sign_in_limits{100000, 100000, 900};
  // Privacy: --store-audio and --retention-days.
  bool store_audio = true;
  int retention_days = 0;
  bool redact_speech = false;
  // Explanations on request: their own slots and queue, and the budget of one (as `serve`).
  int explain_slots = 1;
  int explain_queue_size = 4;
  double explain_budget_s = 30000;
  double redact_speech_threshold = 0;  // 0: the server's default
  // Quotas: per user (jobs queued or running, MB of their uploads) and the disk budget (as `serve`).
  int max_queued_jobs_per_user = 20;
  std::int64_t max_queued_mb_per_user = 2048;
  std::int64_t min_free_disk_mb = -1;
  // Jobs kept in PostgreSQL (a postgresql:// conninfo) instead of SQLite in the data directory.
  std::string database;
  // Live sessions: open at once, per user, and the idle timeout (as `serve`).
  int max_live_sessions = 8;
  int max_live_sessions_per_user = 2;
  double live_idle_timeout_s = 30;
  // Model folders searched after ../shared/models (e.g. one holding a model made by soundlens train).
  std::vector<std::string> extra_model_dirs;
};

class TestServer {
 public:
  explicit TestServer(TestServerOptions options = {});
  ~TestServer();
  httplib::Client client() const;
  int port() const { return port_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  const http::HttpServer& server() const { return *server_; }
  http::Service& service() { return *service_; }
  std::size_t stored_audio_files() const;
  // The server's users, keys and audit log (the same database, its own connection).
  AuthStore& auth_store() const { return *auth_store_; }
  // A new user (if `user` is new) with that role, and a key of that scope for it.
  std::string issue_key(const std::string& user, auth::Role role = auth::Role::member,
                        auth::Scope scope = auth::Scope::write, std::optional<int> expires_days = std::nullopt);

 private:
  std::filesystem::path data_dir_;
  std::shared_ptr<AuthStore> auth_store_;
  std::string install_secret_;
  std::unique_ptr<http::Service> service_;
  std::unique_ptr<http::HttpServer> server_;
  std::thread thread_;
  int port_ = 0;
};

std::string read_file(const std::string& path);
// POST a file as multipart field `file` (+ extra form fields).
httplib::Result upload(httplib::Client& client, const std::string& route, const std::string& filename,
                       const std::string& content, const httplib::MultipartFormDataItems& fields = {});
nlohmann::json json_of(const httplib::Result& result);
// Every response that is an error must carry the error shape with a matching status.
void expect_error(const httplib::Result& result, int status, const std::string& code = "");

}  // namespace soundlens::test
