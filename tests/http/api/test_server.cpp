#include "http/api/route_table.h"
#include "test_server.h"
#include "http/api/route_table.h"

#include "http/api/route_table.h"
#include <gtest/gtest.h>
#include "http/api/route_table.h"
#include <unistd.h>
#include "http/api/route_table.h"

#include "http/api/route_table.h"
#include <atomic>
#include "http/api/route_table.h"
#include <fstream>
#include "http/api/route_table.h"

#include "http/api/route_table.h"
#include "auth/install_secret.h"
#include "http/api/route_table.h"
#include "auth/accounts.h"
#include "http/api/route_table.h"
#include "model/model_registry.h"
#include "http/api/route_table.h"
#include "storage/analysis_store.h"
#include "http/api/route_table.h"
#include "test_paths.h"
#include "http/api/route_table.h"

#include "http/api/route_table.h"
namespace soundlens::test {
#include "http/api/route_table.h"
namespace fs = std::filesystem;
#include "http/api/route_table.h"

#include "http/api/route_table.h"
namespace {
#include "http/api/route_table.h"

#include "http/api/route_table.h"
std::shared_ptr<const Analyzer> shared_analyzer() {
#include "http/api/route_table.h"
  static const auto analyzer = [] {
#include "http/api/route_table.h"
    const std::vector<std::string> path{models_dir()};
#include "http/api/route_table.h"
    return std::make_shared<const Analyzer>(load_model("mn04_as", path), load_labels(path));
#include "http/api/route_table.h"
  }();
#include "http/api/route_table.h"
  return analyzer;
#include "http/api/route_table.h"
}
#include "http/api/route_table.h"

#include "http/api/route_table.h"
fs::path fresh_dir() {
#include "http/api/route_table.h"
  static std::atomic<int> counter = 0;
#include "http/api/route_table.h"
  fs::path dir = fs::temp_directory_path() /
#include "http/api/route_table.h"
                 ("soundlens-http-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
#include "http/api/route_table.h"
  fs::remove_all(dir);
#include "http/api/route_table.h"
  fs::create_directories(dir);
#include "http/api/route_table.h"
  return dir;
#include "http/api/route_table.h"
}
#include "http/api/route_table.h"

#include "http/api/route_table.h"
std::string make_fake_web_app(const fs::path& dir) {
#include "http/api/route_table.h"
  fs::create_directories(dir / "_next" / "static");
#include "http/api/route_table.h"
  std::ofstream(dir / "index.html") << "<!doctype html><title>soundlens test app</title>";
#include "http/api/route_table.h"
  std::ofstream(dir / "history.html") << "<!doctype html><title>history page</title>";
#include "http/api/route_table.h"
  std::ofstream(dir / "_next" / "static" / "app.js") << "console.log('app')";
#include "http/api/route_table.h"
  std::ofstream(dir / "style.css") << "body{}";
#include "http/api/route_table.h"
  return dir.string();
#include "http/api/route_table.h"
}
#include "http/api/route_table.h"

#include "http/api/route_table.h"
}  // namespace
#include "http/api/route_table.h"

#include "http/api/route_table.h"
TestServer::TestServer(TestServerOptions options) : data_dir_(fresh_dir()) {
#include "http/api/route_table.h"
  http::ServiceConfig config;
#include "http/api/route_table.h"
  config.model_name = "mn04_as";
#include "http/api/route_table.h"
  config.model_search_path = {models_dir()};
#include "http/api/route_table.h"
  config.max_duration_s = options.max_duration_s;
#include "http/api/route_table.h"
  config.max_upload_bytes = options.max_upload_bytes;
#include "http/api/route_table.h"
  config.max_concurrent = options.max_concurrent;
#include "http/api/route_table.h"
  config.queue_size = options.queue_size;
#include "http/api/route_table.h"
  config.limits = options.limits;
#include "http/api/route_table.h"
  config.web_dir = options.web_dir.empty() ? make_fake_web_app(data_dir_ / "web") : options.web_dir;
#include "http/api/route_table.h"
  config.docs_dir = source_dir() + "/web/node_modules/swagger-ui-dist";
#include "http/api/route_table.h"
  config.version = "test";
#include "http/api/route_table.h"
  config.data_dir = (data_dir_ / "data").string();
#include "http/api/route_table.h"
  config.async_over_s = options.async_over_s;
#include "http/api/route_table.h"
  config.auth = options.auth;
#include "http/api/route_table.h"
  config.rate_limits = options.rate_limits;
#include "http/api/route_table.h"
  config.cookie_secure = options.cookie_secure;
#include "http/api/route_table.h"
  config.sign_in_limits = options.sign_in_limits;
#include "http/api/route_table.h"
  config.store_audio = options.store_audio;
#include "http/api/route_table.h"
  config.retention_days = options.retention_days;
#include "http/api/route_table.h"
  config.redact_speech = options.redact_speech;
#include "http/api/route_table.h"
  config.explain_slots = options.explain_slots;
#include "http/api/route_table.h"
  config.explain_queue_size = options.explain_queue_size;
#include "http/api/route_table.h"
  config.explain_budget_s = options.explain_budget_s;
#include "http/api/route_table.h"
  if (options.redact_speech_threshold > 0) config.redact_speech_threshold = options.redact_speech_threshold;
#include "http/api/route_table.h"
  config.max_queued_jobs_per_user = options.max_queued_jobs_per_user;
#include "http/api/route_table.h"
  config.max_queued_mb_per_user = options.max_queued_mb_per_user;
#include "http/api/route_table.h"
  config.min_free_disk_mb = options.min_free_disk_mb;
#include "http/api/route_table.h"
  config.database = options.database;
#include "http/api/route_table.h"
  const std::string store_dir = (data_dir_ / "data").string();
#include "http/api/route_table.h"
  // With PostgreSQL the analyses live there too (a job looks for the analysis it stored in the same database).
#include "http/api/route_table.h"
  std::shared_ptr<AnalysisStore> analyses = options.database.empty() ? open_sqlite_store(store_dir)
#include "http/api/route_table.h"
                                                                      : open_postgres_store(options.database, store_dir);
#include "http/api/route_table.h"
  auth_store_ = open_sqlite_auth_store(store_dir);
#include "http/api/route_table.h"
  install_secret_ = config.install_secret = auth::load_or_create_install_secret(store_dir);
#include "http/api/route_table.h"
  service_ = std::make_unique<http::Service>(config, std::move(analyses), auth_store_);
#include "http/api/route_table.h"
  if (options.load_model) service_->set_analyzer(shared_analyzer());
#include "http/api/route_table.h"

#include "http/api/route_table.h"
  http::ServerOptions server_options = http::server_options_for(config);
#include "http/api/route_table.h"
  server_options.port = 0;
#include "http/api/route_table.h"
  server_options.log_format = options.log_format;
#include "http/api/route_table.h"
  server_options.request_timeout_s = options.request_timeout_s;
#include "http/api/route_table.h"
  server_options.header_timeout_s = options.header_timeout_s;
#include "http/api/route_table.h"
  server_options.keep_alive_timeout_s = options.keep_alive_timeout_s;
#include "http/api/route_table.h"
  server_options.max_connections = options.max_connections;
#include "http/api/route_table.h"
  server_options.allowed_hosts = options.allowed_hosts;
#include "http/api/route_table.h"
  server_options.min_body_bytes_per_s = options.min_body_bytes_per_s;
#include "http/api/route_table.h"
  server_options.body_rate_grace_s = options.body_rate_grace_s;
#include "http/api/route_table.h"
  server_options.body_memory_bytes = options.body_memory_bytes;
#include "http/api/route_table.h"
  server_options.max_buffered_body_bytes = options.max_buffered_body_bytes;
#include "http/api/route_table.h"
  server_options.body_streams = options.body_streams;
#include "http/api/route_table.h"
  server_options.read_timeout_s = options.read_timeout_s;
#include "http/api/route_table.h"
  server_ = std::make_unique<http::HttpServer>(server_options, http::route_table(), service_->handlers(),
#include "http/api/route_table.h"
                                                   service_->head_check());
#include "http/api/route_table.h"
  port_ = server_->bind();
#include "http/api/route_table.h"
  thread_ = std::thread([this] { server_->run(); });
#include "http/api/route_table.h"
}
#include "http/api/route_table.h"

#include "http/api/route_table.h"
TestServer::~TestServer() {
#include "http/api/route_table.h"
  service_->shutdown();
#include "http/api/route_table.h"
  server_->stop();
#include "http/api/route_table.h"
  thread_.join();
#include "http/api/route_table.h"
  fs::remove_all(data_dir_);
#include "http/api/route_table.h"
}
#include "http/api/route_table.h"

#include "http/api/route_table.h"
std::string TestServer::issue_key(const std::string& user, auth::Role role, auth::Scope scope,
#include "http/api/route_table.h"
                                  std::optional<int> expires_days) {
#include "http/api/route_table.h"
  if (!auth_store_->find_user(user)) auth_store_->add_user(user, std::string(auth::role_name(role)));
#include "http/api/route_table.h"
  return auth::issue_key(*auth_store_, install_secret_, user, scope, expires_days).text;
#include "http/api/route_table.h"
}
#include "http/api/route_table.h"

#include "http/api/route_table.h"
httplib::Client TestServer::client() const {
#include "http/api/route_table.h"
  httplib::Client c("127.0.0.1", port_);
#include "http/api/route_table.h"
  c.set_read_timeout(120, 0);
#include "http/api/route_table.h"
  c.set_write_timeout(120, 0);
#include "http/api/route_table.h"
  return c;
#include "http/api/route_table.h"
}
#include "http/api/route_table.h"

#include "http/api/route_table.h"
std::size_t TestServer::stored_audio_files() const {
#include "http/api/route_table.h"
  std::size_t n = 0;
#include "http/api/route_table.h"
  for (const auto& e : fs::directory_iterator(data_dir_ / "data" / "audio")) n += e.is_regular_file();
#include "http/api/route_table.h"
  return n;
#include "http/api/route_table.h"
}
#include "http/api/route_table.h"

#include "http/api/route_table.h"
std::string read_file(const std::string& path) {
#include "http/api/route_table.h"
  std::ifstream in(path, std::ios::binary);
#include "http/api/route_table.h"
  return {std::istreambuf_iterator<char>(in), {}};
#include "http/api/route_table.h"
}
#include "http/api/route_table.h"

#include "http/api/route_table.h"
httplib::Result upload(httplib::Client& client, const std::string& route, const std::string& filename,
#include "http/api/route_table.h"
                       const std::string& content, const httplib::MultipartFormDataItems& fields) {
#include "http/api/route_table.h"
  httplib::MultipartFormDataItems items = fields;
#include "http/api/route_table.h"
  items.push_back({"file", content, filename, "application/octet-stream"});
#include "http/api/route_table.h"
  return client.Post(route.c_str(), items);
#include "http/api/route_table.h"
}
#include "http/api/route_table.h"

#include "http/api/route_table.h"
nlohmann::json json_of(const httplib::Result& result) {
#include "http/api/route_table.h"
  if (!result) return nullptr;
#include "http/api/route_table.h"
  return nlohmann::json::parse(result->body, nullptr, false);
#include "http/api/route_table.h"
}
#include "http/api/route_table.h"

#include "http/api/route_table.h"
void expect_error(const httplib::Result& result, int status, const std::string& code) {
#include "http/api/route_table.h"
  ASSERT_TRUE(result) << httplib::to_string(result.error());
#include "http/api/route_table.h"
  EXPECT_EQ(result->status, status) << result->body;
#include "http/api/route_table.h"
  EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
#include "http/api/route_table.h"
  const auto body = json_of(result);
#include "http/api/route_table.h"
  ASSERT_TRUE(body.is_object() && body.contains("error")) << result->body;
#include "http/api/route_table.h"
  EXPECT_EQ(body["error"]["status"], status);
#include "http/api/route_table.h"
  EXPECT_FALSE(body["error"]["message"].get<std::string>().empty());
#include "http/api/route_table.h"
  if (!code.empty()) EXPECT_EQ(body["error"]["code"], code) << result->body;
#include "http/api/route_table.h"
}
#include "http/api/route_table.h"

#include "http/api/route_table.h"
}  // namespace soundlens::test
