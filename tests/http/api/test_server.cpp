#include "test_server.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <fstream>

#include "auth/install_secret.h"
#include "auth/accounts.h"
#include "http/api/route_table.h"
#include "model/model_registry.h"
#include "storage/analysis_store.h"
#include "test_paths.h"

namespace soundlens::test {
namespace fs = std::filesystem;

namespace {

std::shared_ptr<const Analyzer> shared_analyzer() {
  static const auto analyzer = [] {
    const std::vector<std::string> path{models_dir()};
    return std::make_shared<const Analyzer>(load_model("mn04_as", path), load_labels(path));
  }();
  return analyzer;
}

fs::path fresh_dir() {
  static std::atomic<int> counter = 0;
  fs::path dir = fs::temp_directory_path() /
                 ("soundlens-http-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string make_fake_web_app(const fs::path& dir) {
  fs::create_directories(dir / "_next" / "static");
  std::ofstream(dir / "index.html") << "<!doctype html><title>soundlens test app</title>";
  std::ofstream(dir / "history.html") << "<!doctype html><title>history page</title>";
  std::ofstream(dir / "_next" / "static" / "app.js") << "console.log('app')";
  std::ofstream(dir / "style.css") << "body{}";
  return dir.string();
}

}  // namespace

TestServer::TestServer(TestServerOptions options) : data_dir_(fresh_dir()) {
  http::ServiceConfig config;
  config.model_name = "mn04_as";
  config.model_search_path = {models_dir()};
  config.model_search_path.insert(config.model_search_path.end(), options.extra_model_dirs.begin(),
                                  options.extra_model_dirs.end());
  config.max_duration_s = options.max_duration_s;
  config.max_upload_bytes = options.max_upload_bytes;
  config.max_concurrent = options.max_concurrent;
  config.queue_size = options.queue_size;
  config.limits = options.limits;
  config.web_dir = options.web_dir.empty() ? make_fake_web_app(data_dir_ / "web") : options.web_dir;
  config.docs_dir = source_dir() + "/web/node_modules/swagger-ui-dist";
  config.version = "test";
  config.data_dir = (data_dir_ / "data").string();
  config.async_over_s = options.async_over_s;
  config.auth = options.auth;
  config.rate_limits = options.rate_limits;
  config.cookie_secure = options.cookie_secure;
  config.sign_in_limits = options.sign_in_limits;
  config.store_audio = options.store_audio;
  config.retention_days = options.retention_days;
  config.redact_speech = options.redact_speech;
  config.explain_slots = options.explain_slots;
  config.explain_queue_size = options.explain_queue_size;
  config.explain_budget_s = options.explain_budget_s;
  if (options.redact_speech_threshold > 0) config.redact_speech_threshold = options.redact_speech_threshold;
  config.max_queued_jobs_per_user = options.max_queued_jobs_per_user;
  config.max_queued_mb_per_user = options.max_queued_mb_per_user;
  config.min_free_disk_mb = options.min_free_disk_mb;
  config.max_live_sessions = options.max_live_sessions;
  config.max_live_sessions_per_user = options.max_live_sessions_per_user;
  config.live_idle_timeout_s = options.live_idle_timeout_s;
  config.database = options.database;
  const std::string store_dir = (data_dir_ / "data").string();
  // With PostgreSQL the analyses live there too (a job looks for the analysis it stored in the same database).
  std::shared_ptr<AnalysisStore> analyses = options.database.empty() ? open_sqlite_store(store_dir)
                                                                      : open_postgres_store(options.database, store_dir);
  auth_store_ = open_sqlite_auth_store(store_dir);
  install_secret_ = config.install_secret = auth::load_or_create_install_secret(store_dir);
  service_ = std::make_unique<http::Service>(config, std::move(analyses), auth_store_);
  if (options.load_model) service_->set_analyzer(shared_analyzer());

  http::ServerOptions server_options = http::server_options_for(config);
  server_options.port = 0;
  server_options.log_format = options.log_format;
  server_options.request_timeout_s = options.request_timeout_s;
  server_options.header_timeout_s = options.header_timeout_s;
  server_options.keep_alive_timeout_s = options.keep_alive_timeout_s;
  server_options.max_connections = options.max_connections;
  server_options.allowed_hosts = options.allowed_hosts;
  server_options.min_body_bytes_per_s = options.min_body_bytes_per_s;
  server_options.body_rate_grace_s = options.body_rate_grace_s;
  server_options.body_memory_bytes = options.body_memory_bytes;
  server_options.max_buffered_body_bytes = options.max_buffered_body_bytes;
  server_options.body_streams = options.body_streams;
  server_options.read_timeout_s = options.read_timeout_s;
  server_ = std::make_unique<http::HttpServer>(server_options, http::route_table(), service_->handlers(),
                                                   service_->head_check());
  port_ = server_->bind();
  thread_ = std::thread([this] { server_->run(); });
}

TestServer::~TestServer() {
  service_->shutdown();
  server_->stop();
  thread_.join();
  fs::remove_all(data_dir_);
}

std::string TestServer::issue_key(const std::string& user, auth::Role role, auth::Scope scope,
                                  std::optional<int> expires_days) {
  if (!auth_store_->find_user(user)) auth_store_->add_user(user, std::string(auth::role_name(role)));
  return auth::issue_key(*auth_store_, install_secret_, user, scope, expires_days).text;
}

httplib::Client TestServer::client() const {
  httplib::Client c("127.0.0.1", port_);
  c.set_read_timeout(120, 0);
  c.set_write_timeout(120, 0);
  return c;
}

std::size_t TestServer::stored_audio_files() const {
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(data_dir_ / "data" / "audio")) n += e.is_regular_file();
  return n;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

httplib::Result upload(httplib::Client& client, const std::string& route, const std::string& filename,
                       const std::string& content, const httplib::MultipartFormDataItems& fields) {
  httplib::MultipartFormDataItems items = fields;
  items.push_back({"file", content, filename, "application/octet-stream"});
  return client.Post(route.c_str(), items);
}

nlohmann::json json_of(const httplib::Result& result) {
  if (!result) return nullptr;
  return nlohmann::json::parse(result->body, nullptr, false);
}

void expect_error(const httplib::Result& result, int status, const std::string& code) {
  ASSERT_TRUE(result) << httplib::to_string(result.error());
  EXPECT_EQ(result->status, status) << result->body;
  EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
  const auto body = json_of(result);
  ASSERT_TRUE(body.is_object() && body.contains("error")) << result->body;
  EXPECT_EQ(body["error"]["status"], status);
  EXPECT_FALSE(body["error"]["message"].get<std::string>().empty());
  if (!code.empty()) EXPECT_EQ(body["error"]["code"], code) << result->body;
}

}  // namespace soundlens::test
