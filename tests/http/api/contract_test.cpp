// One API contract: every route of route_table(), called on a real server with
// real audio, answers only statuses it declares, and every JSON answer (2xx
// and errors) fits the schema /openapi.json declares for that status:
// required fields present, types and enums as said, no undeclared field where
// the schema says additionalProperties: false. Also: the parameters a handler
// reads are exactly those its route declares, and upload routes refuse a form
// field they do not declare.
#include <gtest/gtest.h>

#include <cstring>

#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "auth/password.h"
#include "core/error.h"
#include "http/api/access.h"
#include "http/server/error_status.h"
#include "http/api/route_table.h"
#include "schema_check.h"
#include "test_paths.h"
#include "test_server.h"

namespace soundlens::test {
namespace {
using nlohmann::json;

const std::string metro = "example/metro_station-paris.wav";
const std::string unknown_id = "0123456789abcdef0123456789abcdef";

// Whether a declared content type ("audio/*", "*/*", "application/json") covers the one sent.
bool covers(const std::string& declared, const std::string& sent) {
  const std::string type = sent.substr(0, sent.find(';'));
  if (declared == "*/*") return true;
  if (declared.ends_with("/*")) return type.rfind(declared.substr(0, declared.size() - 1), 0) == 0;
  return type == declared;
}

class ContractTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new TestServer();
    auto c = server_->client();
    document_ = new json(json_of(c.Get("/openapi.json")));
  }
  static void TearDownTestSuite() {
    delete server_;
    delete document_;
  }

  // Holds one answer of `operation_id` to its declaration; returns its JSON body (null if none).
  static json check(const std::string& operation_id, const httplib::Result& res, const std::string& what) {
    EXPECT_TRUE(res) << operation_id << " " << what << ": no answer";
    if (!res) return nullptr;
    const http::RouteSpec& route = http::route_spec(operation_id);
    const auto declared = std::find_if(route.responses.begin(), route.responses.end(),
                                       [&](const http::RouteResponse& r) { return r.status == res->status; });
    EXPECT_NE(declared, route.responses.end())
        << operation_id << " " << what << ": status " << res->status << " is not declared; body " << res->body.substr(0, 300);
    EXPECT_NE(res->status, 500) << operation_id << " " << what << ": " << res->body;
    if (declared == route.responses.end()) return nullptr;
    (res->status < 300 ? succeeded_ : failed_).insert(operation_id);
    const std::string sent_type = res->get_header_value("Content-Type");
    EXPECT_TRUE(covers(declared->content_type, sent_type))
        << operation_id << " " << what << ": sent " << sent_type << ", declared " << declared->content_type;
    if (declared->content_type != "application/json") return nullptr;
    const json body = json::parse(res->body, nullptr, false);
    EXPECT_FALSE(body.is_discarded()) << operation_id << " " << what << ": not JSON";
    if (declared->schema.empty() || body.is_discarded()) return body;
    // The schema of this status as /openapi.json says it (not as the table does: that is what clients read).
    const json schema = (*document_)["paths"][http::openapi_path(route.path)][lower(route.method)]["responses"]
                                    [std::to_string(res->status)]["content"]["application/json"]["schema"];
    for (const auto& violation : schema_violations(body, schema, *document_))
      ADD_FAILURE() << operation_id << " " << what << " (" << res->status << " " << declared->schema
                    << "): " << violation;
    return body;
  }

  static std::string lower(std::string s) {
    for (auto& ch : s) ch = char(std::tolower(static_cast<unsigned char>(ch)));
    return s;
  }

  static json wait_until_final(httplib::Client& c, const std::string& job_id) {
    for (int i = 0; i < 600; ++i) {
      json job = json_of(c.Get("/api/v1/jobs/" + job_id))["job"];
      if (job["state"] != "queued" && job["state"] != "running") return job;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "job " << job_id << " did not finish";
    return nullptr;
  }

  static void session_routes();

  static TestServer* server_;
  static json* document_;
  static std::set<std::string> succeeded_, failed_;
};
TestServer* ContractTest::server_ = nullptr;
json* ContractTest::document_ = nullptr;
std::set<std::string> ContractTest::succeeded_, ContractTest::failed_;

TEST_F(ContractTest, ErrorCodesInTheSchemaAreTheErrorEnum) {
  std::set<std::string> declared;
  for (const auto& code : (*document_)["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]["enum"])
    declared.insert(code.get<std::string>());
  std::set<std::string> codes;
  for (int code = 0; code <= int(ErrorCode::internal); ++code) codes.insert(std::string(error_code_name(ErrorCode(code))));
  for (int code = 0; code <= int(http::AccessCode::csrf_token_last); ++code)
    codes.insert(std::string(http::access_code_name(http::AccessCode(code))));
  EXPECT_EQ(declared, codes);
  for (const char* code : {"gone", "quota_exceeded", "insufficient_storage", "speech_remains", "unauthorized",
                           "csrf_token_invalid", "internal"})
    EXPECT_TRUE(declared.contains(code)) << code;
}

TEST_F(ContractTest, TheCheckerRejectsWhatBreaksASchema) {
  const json& doc = *document_;
  const json job_ref = {{"$ref", "#/components/schemas/Job"}};
  const json good = {{"id", "a"}, {"state", "done"}, {"stage", nullptr}, {"progress", 1}, {"eta_s", nullptr},
                     {"analysis_id", "b"}, {"error", nullptr}};
  EXPECT_TRUE(schema_violations(good, job_ref, doc).empty());
  json missing = good;
  missing.erase("state");
  EXPECT_FALSE(schema_violations(missing, job_ref, doc).empty());
  json bad_enum = good;
  bad_enum["state"] = "sleeping";
  EXPECT_FALSE(schema_violations(bad_enum, job_ref, doc).empty());
  json bad_type = good;
  bad_type["progress"] = "half";
  EXPECT_FALSE(schema_violations(bad_type, job_ref, doc).empty());
  json extra = good;
  extra["surprise"] = 1;
  EXPECT_FALSE(schema_violations(extra, job_ref, doc).empty());  // Job says additionalProperties: false
  json not_nullable = good;
  not_nullable["id"] = nullptr;
  EXPECT_FALSE(schema_violations(not_nullable, job_ref, doc).empty());
}

// One test, in order: later routes need what earlier ones made (an analysis, a job, a batch).
TEST_F(ContractTest, EveryRouteAnswersWhatItDeclares) {
  auto c = server_->client();
  const std::string audio = read_file(shared_audio(metro));
  const httplib::Headers none;

  check("health", c.Get("/health"), "ready");
  check("listModels", c.Get("/api/v1/models"), "");

  const json created = check("createAnalysis", upload(c, "/api/v1/analyses", "metro.wav", audio), "sync");
  ASSERT_TRUE(created.contains("id"));
  const std::string id = created["id"];
  check("createAnalysis", upload(c, "/api/v1/analyses", "metro.wav", audio, {{"no_such_option", "1", "", ""}}),
        "unknown field");
  check("createAnalysis", upload(c, "/api/v1/analyses", "metro.wav", audio, {{"top_k", "0", "", ""}}), "bad top_k");
  check("createAnalysis", upload(c, "/api/v1/analyses", "noise.wav", "not audio at all"), "not audio");
  const json queued = check("createAnalysis", upload(c, "/api/v1/analyses", "metro.wav", audio, {{"async", "1", "", ""}}),
                            "async");
  ASSERT_TRUE(queued.contains("job"));
  const std::string job_id = queued["job"]["id"];
  const json comparison = check(
      "createAnalysis", upload(c, "/api/v1/analyses", "metro.wav", audio, {{"models", "mn04_as,yamnet", "", ""}}),
      "models=");
  ASSERT_TRUE(comparison.contains("results"));
  const json compare_job = check("createAnalysis",
                                 upload(c, "/api/v1/analyses", "metro.wav", audio,
                                        {{"models", "mn04_as,yamnet", "", ""}, {"async", "1", "", ""}}),
                                 "models= as a job");
  ASSERT_TRUE(compare_job.contains("job"));
  // The fused model: predictions, maps and events say their model; each model's map is served by model=.
  const json fused = check("createAnalysis", upload(c, "/api/v1/analyses", "metro.wav", audio, {{"model", "fused", "", ""}}),
                           "model=fused");
  ASSERT_TRUE(fused.contains("id"));
  const std::string fused_base = "/api/v1/analyses/" + fused["id"].get<std::string>();
  check("getAnalysis", c.Get(fused_base), "fused");
  check("getAnalysisExplanation", c.Get(fused_base + "/explanation?class=329&model=yamnet&faithfulness=0"), "fused, yamnet's");
  check("getAnalysisExplanation", c.Get(fused_base + "/explanation?class=329&model=cnn14"), "fused, not a part");

  check("listAnalyses", c.Get("/api/v1/analyses?limit=2&offset=1&q=metro"), "limit");
  check("listAnalyses", c.Get("/api/v1/analyses?page=2&per_page=1"), "page");
  check("listAnalyses", c.Get("/api/v1/analyses?limit=0"), "limit=0");
  check("listAnalyses", c.Get("/api/v1/analyses?from=yesterday"), "from");

  check("getAnalysis", c.Get("/api/v1/analyses/" + id), "");
  check("getAnalysis", c.Get("/api/v1/analyses/" + unknown_id), "unknown");
  check("updateAnalysis", c.Patch("/api/v1/analyses/" + id, R"({"note": "n", "labels": ["a"]})", "application/json"),
        "");
  check("updateAnalysis", c.Patch("/api/v1/analyses/" + id, R"({"colour": "red"})", "application/json"), "bad field");
  check("updateAnalysis", c.Patch("/api/v1/analyses/" + unknown_id, R"({"note": "n"})", "application/json"),
        "unknown");

  const std::string base = "/api/v1/analyses/" + id;
  check("reviewEvent", c.Patch(base + "/events/0", R"({"status": "confirmed", "label": "Cough"})", "application/json"),
        "");
  check("reviewEvent", c.Patch(base + "/events/99999", R"({"status": "confirmed"})", "application/json"),
        "unknown event");
  check("reviewEvent", c.Patch(base + "/events/0", R"({"status": "maybe"})", "application/json"), "bad status");
  check("reviewEvent", c.Patch(base + "/events/0", R"({"status": "confirmed"})", "text/plain"), "text/plain");
  check("reviewEvent", c.Patch(base + "/events/0", std::string(5000, ' ') + "{}", "application/json"), "5000 bytes");
  check("getAnalysis", c.Get(base), "reviewed");
  check("getAnalysisAudio", c.Get(base + "/audio"), "");
  check("getAnalysisAudio", c.Get(base + "/audio", {{"Range", "bytes=0-99"}}), "range");
  check("getAnalysisAudio", c.Get("/api/v1/analyses/" + unknown_id + "/audio"), "unknown");
  check("getAnalysisFigure", c.Get(base + "/figure.png"), "");
  check("getAnalysisFigure", c.Get(base + "/figure.png?overlay=0"), "overlay=0");
  check("getAnalysisFigure", c.Get(base + "/figure.png?overlay=2"), "overlay=2");
  check("getAnalysisExplanation", c.Get(base + "/explanation?sanity=1"), "");
  // Cough (47) is absent from the metro clip: faithfulness has no verdict and no score.
  check("getAnalysisExplanation", c.Get(base + "/explanation?class=47&faithfulness=1"), "absent class");
  check("getAnalysisExplanation", c.Get(base + "/explanation?method=guided-backprop"), "bad method");
  check("getAnalysisExplanation", c.Get(base + "/explanation?class=99999"), "unknown class");
  check("getAnalysisRobustness", c.Get(base + "/robustness?class=329"), "");
  check("getAnalysisRobustness", c.Get(base + "/robustness?class=99999"), "unknown class");
  check("getAnalysisRobustness", c.Get("/api/v1/analyses/" + unknown_id + "/robustness"), "unknown");
  check("getAnalysisExplanationAudio", c.Get(base + "/explanation.wav?part=removed"), "");
  check("getAnalysisExplanationAudio", c.Get(base + "/explanation.wav?part=both"), "bad part");
  for (const auto& [op, file] : std::map<std::string, std::string>{{"getEventsCsv", "events.csv"},
                                                                   {"getRavenTable", "raven.txt"},
                                                                   {"getAudacityLabels", "labels.txt"},
                                                                   {"getReviewedClips", "reviewed-clips.zip"},
                                                                   {"getReportPdf", "report.pdf"}}) {
    check(op, c.Get(base + "/" + file), "");
    check(op, c.Get("/api/v1/analyses/" + unknown_id + "/" + file), "unknown");
  }
  check("getReportPdf", c.Get(base + "/report.pdf?classes=329,47"), "classes");
  check("getReportPdf", c.Get(base + "/report.pdf?classes=Cough"), "bad classes");
  check("getAnalysisSpectrogram", c.Get(base + "/spectrogram?max_columns=100"), "");
  check("getAnalysisSpectrogram", c.Get(base + "/spectrogram?start_s=1&end_s=2&width=50"), "span");
  check("getAnalysisSpectrogram", c.Get(base + "/spectrogram?width=5"), "width=5");

  const std::string a = comparison["results"]["mn04_as"]["id"], b = comparison["results"]["yamnet"]["id"];
  check("getComparison", c.Get("/api/v1/compare?a=" + a + "&b=" + b), "");
  check("getComparison", c.Get("/api/v1/compare?a=" + a), "no b");
  check("getComparison", c.Get("/api/v1/compare?a=" + a + "&b=" + unknown_id), "unknown");

  wait_until_final(c, job_id);
  wait_until_final(c, compare_job["job"]["id"]);
  check("getJob", c.Get("/api/v1/jobs/" + compare_job["job"]["id"].get<std::string>()), "a comparison's, done");
  check("listJobs", c.Get("/api/v1/jobs?limit=5"), "");
  check("listJobs", c.Get("/api/v1/jobs?limit=501"), "limit=501");
  check("getJob", c.Get("/api/v1/jobs/" + job_id), "");
  check("getJob", c.Get("/api/v1/jobs/" + unknown_id), "unknown");
  check("getJobEvents", c.Get("/api/v1/jobs/" + job_id + "/events"), "final job");
  check("getJobEvents", c.Get("/api/v1/jobs/" + unknown_id + "/events"), "unknown");
  check("cancelJob", c.Delete("/api/v1/jobs/" + job_id), "final job");
  check("cancelJob", c.Delete("/api/v1/jobs/" + unknown_id), "unknown");

  const json batch = check("createBatch",
                           c.Post("/api/v1/batches", httplib::MultipartFormDataItems{{"file", audio, "one.wav", "audio/wav"},
                                                                                     {"file", "", "empty.wav", "audio/wav"}}),
                           "two files, one empty");
  check("createBatch", c.Post("/api/v1/batches", httplib::MultipartFormDataItems{{"top_k", "3", "", ""}}), "no file");
  ASSERT_TRUE(batch.contains("id"));
  for (const auto& item : batch["items"])
    if (item["job_id"].is_string()) wait_until_final(c, item["job_id"]);
  check("getBatch", c.Get("/api/v1/batches/" + batch["id"].get<std::string>()), "");
  check("getBatch", c.Get("/api/v1/batches/" + unknown_id), "unknown");

  check("analyzeAudio", upload(c, "/analyze_audio", "metro.wav", audio), "");
  check("analyzeAudio", upload(c, "/analyze_audio", "metro.wav", audio, {{"top_k", "3", "", ""}}), "undeclared top_k");

  check("listAudit", c.Get("/api/v1/audit?limit=10"), "");
  check("listAudit", c.Get("/api/v1/audit?offset=-1"), "offset=-1");
  check("signIn", c.Post("/api/v1/session", R"({"name": "x", "password": "y"})", "application/json"), "auth off");
  check("getSession", c.Get("/api/v1/session"), "no cookie");
  check("signOut", c.Delete("/api/v1/session"), "no cookie");

  // A live session: created, a chunk, refused chunks, stopped, its stream read back.
  const json live = check("createLiveSession", c.Post("/api/v1/live?format=s16le&rate=16000", "", ""), "");
  check("createLiveSession", c.Post("/api/v1/live?window_s=0.1", "", ""), "bad window_s");
  ASSERT_TRUE(live.contains("id"));
  const std::string live_base = "/api/v1/live/" + live["id"].get<std::string>();
  std::string pcm(16000 * 2, '\0');  // 1 s of a quiet sawtooth at 16 kHz, s16le
  for (std::size_t i = 0; i < 16000; ++i) {
    const auto v = std::int16_t(int(i * 37 % 2000) - 1000);
    std::memcpy(pcm.data() + 2 * i, &v, 2);
  }
  check("sendLiveAudio", c.Post(live_base + "/audio?seq=0", pcm, "application/octet-stream"), "");
  check("sendLiveAudio", c.Post(live_base + "/audio?seq=5", pcm, "application/octet-stream"), "out of order");
  check("sendLiveAudio", c.Post(live_base + "/audio?seq=1", pcm + "x", "application/octet-stream"), "half a sample");
  check("sendLiveAudio", c.Post("/api/v1/live/" + unknown_id + "/audio?seq=0", pcm, "application/octet-stream"),
        "unknown");
  check("watchLiveClass", c.Post(live_base + "/watch?class=Cough", "", ""), "");
  check("watchLiveClass", c.Post(live_base + "/watch?class=No%20such%20class", "", ""), "unknown class");
  check("watchLiveClass", c.Post("/api/v1/live/" + unknown_id + "/watch?class=Cough", "", ""), "unknown");
  check("stopLiveSession", c.Post(live_base + "/stop", "", ""), "");
  check("watchLiveClass", c.Post(live_base + "/watch?class=Speech", "", ""), "ended");
  check("stopLiveSession", c.Post("/api/v1/live/" + unknown_id + "/stop", "", ""), "unknown");
  check("sendLiveAudio", c.Post(live_base + "/audio?seq=1", pcm, "application/octet-stream"), "ended");
  check("getLiveEvents", c.Get(live_base + "/events"), "ended session");
  check("getLiveEvents", c.Get("/api/v1/live/" + unknown_id + "/events"), "unknown");

  check("openapi", c.Get("/openapi.json"), "");
  check("docs", c.Get("/docs"), "");
  check("docsAsset", c.Get("/docs/swagger-ui.css"), "");
  check("docsAsset", c.Get("/docs/no-such-file.js"), "unknown");
  check("webApp", c.Get("/"), "");
  check("webAsset", c.Get("/history"), "app route");
  check("webAsset", c.Get("/api/v1/no-such-route"), "unknown api");

  check("deleteAnalysis", c.Delete("/api/v1/analyses/" + id), "");
  check("deleteAnalysis", c.Delete("/api/v1/analyses/" + id), "again");

  // Before the model is loaded.
  TestServer loading({.load_model = false});
  auto l = loading.client();
  check("health", l.Get("/health"), "loading");
  check("createAnalysis", upload(l, "/api/v1/analyses", "metro.wav", audio), "loading");

  session_routes();

  // Every route answered at least once with success, and every route that declares an error a client
  // causes (400, 404) answered one.
  for (const auto& route : http::route_table()) {
    EXPECT_TRUE(succeeded_.contains(route.operation_id)) << route.operation_id << " never succeeded";
    const bool client_error = std::any_of(route.responses.begin(), route.responses.end(), [](const auto& r) {
      return r.status == 400 || r.status == 404;
    });
    if (client_error) EXPECT_TRUE(failed_.contains(route.operation_id)) << route.operation_id << " never failed";
  }
}

// The session routes' own answers, with authentication on and a user who has a password.
void ContractTest::session_routes() {
  TestServer secured({.auth = auth::AuthMode::required});
  secured.issue_key("ada");
  const auto user = secured.auth_store().find_user("ada");
  if (!user) return ADD_FAILURE() << "no user ada";
  secured.auth_store().set_password_hash(user->id, auth::hash_password("correct horse", 1000));
  auto c = secured.client();
  check("signIn", c.Post("/api/v1/session", R"({"name": "ada", "password": "wrong"})", "application/json"), "wrong");
  const auto signed_in = c.Post("/api/v1/session", R"({"name": "ada", "password": "correct horse"})", "application/json");
  const json session = check("signIn", signed_in, "");
  if (!session.contains("csrf_token")) return ADD_FAILURE() << "no csrf_token";
  const std::string set_cookie = signed_in->get_header_value("Set-Cookie");
  const httplib::Headers cookie{{"Cookie", set_cookie.substr(0, set_cookie.find(';'))}};
  check("getSession", c.Get("/api/v1/session", cookie), "");
  check("listAnalyses", c.Get("/api/v1/analyses"), "no key");
  check("signOut", c.Delete("/api/v1/session", cookie), "no csrf token");
  httplib::Headers with_token = cookie;
  with_token.emplace("X-CSRF-Token", session["csrf_token"].get<std::string>());
  check("signOut", c.Delete("/api/v1/session", with_token), "");
}

// What handlers read (Request::params_read) against what their routes declare: the bare request and then
// each declared parameter alone with a valid value, so that parameters read only in some branch
// (max_columns without a span, per_page with page) are seen. Reading an undeclared one is a 500.
TEST_F(ContractTest, HandlersReadEveryDeclaredParameterAndNoOther) {
  auto c = server_->client();
  const json created = json_of(upload(c, "/api/v1/analyses", "metro.wav", read_file(shared_audio(metro))));
  ASSERT_TRUE(created.contains("id"));
  const std::string id = created["id"];
  auto handlers = server_->service().handlers();
  for (const auto& route : http::route_table()) {
    std::vector<const http::RouteParameter*> declared;
    for (const auto& p : route.parameters)
      if ((p.in == "query" || p.in == "form") && p.type != "file" && p.type != "files") declared.push_back(&p);
    if (declared.empty()) continue;
    std::set<std::string> read;
    const auto call = [&](const http::RouteParameter* only) {
      http::Request request;
      request.method = route.method;
      request.path = route.path;
      request.route = &route;
      for (const auto& name : http::path_parameter_names(route.path)) request.path_params[name] = id;
      // Upload routes get an empty file: every option is read before the recording is decoded.
      std::string value;
      if (only) {
        value = !only->default_value.empty() ? only->default_value
                : !only->choices.empty()     ? only->choices.front()
                : only->minimum              ? std::to_string(long(*only->minimum))
                : only->type == "boolean"    ? "0"
                : only->name == "models"     ? "mn04_as,yamnet"
                                             : id;  // a, b: an analysis id; class, q, ...: any text
      }
      if (route.method == "POST") {
        request.parts.emplace("file", http::UploadedPart{"empty.wav", ""});
        if (only) request.parts.emplace(only->name, http::UploadedPart{"", value});
      } else if (only) {
        request.query.emplace(only->name, value);
      }
      const http::Response response = http::call_safely(handlers.at(route.operation_id), request);
      EXPECT_NE(response.status, 500) << route.operation_id << " with " << (only ? only->name : "nothing") << ": "
                                      << response.body;
      read.insert(request.params_read.begin(), request.params_read.end());
    };
    call(nullptr);
    for (const auto* p : declared) call(p);
    for (const auto* p : declared)
      EXPECT_TRUE(read.contains(p->name)) << route.operation_id << " declares " << p->name << " but never reads it";
    for (const auto& name : read)
      EXPECT_TRUE(http::declared_parameter(route, name)) << route.operation_id << " reads undeclared " << name;
  }
}

// The same request to each upload route: a form field the route does not declare is refused, naming it.
TEST_F(ContractTest, UploadRoutesRefuseUndeclaredFields) {
  auto c = server_->client();
  const std::string audio = read_file(shared_audio(metro));
  for (const std::string route : {"/api/v1/analyses", "/analyze_audio", "/api/v1/batches"}) {
    const auto res = upload(c, route, "metro.wav", audio, {{"top-k", "3", "", ""}});
    expect_error(res, 400, "bad_request");
    EXPECT_NE(res->body.find("unknown field 'top-k'"), std::string::npos) << route << ": " << res->body;
    EXPECT_NE(res->body.find(route), std::string::npos) << route << ": " << res->body;
  }
  // A declared field is accepted where it is declared: model on the seed route.
  EXPECT_EQ(upload(c, "/analyze_audio", "metro.wav", audio, {{"model", "mn04_as", "", ""}})->status, 200);
  // Two recordings where one is taken.
  const auto two = c.Post("/analyze_audio", httplib::MultipartFormDataItems{{"file", audio, "a.wav", "audio/wav"},
                                                                            {"file", audio, "b.wav", "audio/wav"}});
  expect_error(two, 400, "bad_request");
  EXPECT_NE(two->body.find("more than one field 'file'"), std::string::npos) << two->body;
}

}  // namespace
}  // namespace soundlens::test
