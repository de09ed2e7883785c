// Accounts and keys through the real server on real audio: missing, wrong,
// revoked and expired keys (401), read-only keys writing (403), separation of
// users on every route of the route table (another user's id is 404, as an
// unknown one), admins, the history filter, the audit log, rate limits (429),
// hostile Authorization headers, and authentication off as before.
#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <set>
#include <thread>

#include "auth/keys.h"
#include "http/api/route_table.h"
#include "raw_client.h"
#include "test_paths.h"
#include "test_server.h"

namespace soundlens::test {
namespace {
using nlohmann::json;

const std::string cough_file = "cough/00096021-2cb2-4098-b906-4878a5e225a3.flac";

httplib::Headers bearer(const std::string& key) { return {{"Authorization", "Bearer " + key}}; }

httplib::Result upload_as(TestServer& server, const std::string& key, const std::string& name) {
  auto c = server.client();
  c.set_default_headers(bearer(key));
  return upload(c, "/api/v1/analyses", name, read_file(shared_audio(cough_file)));
}

httplib::Result get_as(TestServer& server, const std::string& key, const std::string& path) {
  auto c = server.client();
  return c.Get(path.c_str(), bearer(key));
}

void expect_unauthorized(const httplib::Result& result) {
  expect_error(result, 401, "unauthorized");
  if (result) EXPECT_TRUE(result->get_header_value("WWW-Authenticate").starts_with("Bearer")) << result->body;
}

// A route's path with {id} (and {name...}) filled in.
std::string concrete_path(const std::string& pattern, const std::string& id) {
  std::string path = pattern;
  const auto at = path.find("{id}");
  if (at != std::string::npos) path.replace(at, 4, id);
  const auto event = path.find("{event_index}");  // the first event (PATCH .../events/{event_index})
  if (event != std::string::npos) path.replace(event, 13, "0");
  return path;
}

class AuthHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new TestServer({.auth = auth::AuthMode::required});
    admin_ = server_->issue_key("root", auth::Role::admin);
    ann_ = server_->issue_key("ann");
    ann_read_ = server_->issue_key("ann", auth::Role::member, auth::Scope::read);
    bob_ = server_->issue_key("bob");
    auto a = upload_as(*server_, ann_, "ann.flac");
    auto b = upload_as(*server_, bob_, "bob.flac");
    ASSERT_EQ(a->status, 201) << a->body;
    ASSERT_EQ(b->status, 201) << b->body;
    ann_id_ = json_of(a)["id"];
    bob_id_ = json_of(b)["id"];
    // A job of bob's, run to its end.
    auto c = server_->client();
    const httplib::MultipartFormDataItems form{
        {"file", read_file(shared_audio(cough_file)), "bob-job.flac", "audio/flac"}, {"async", "1", "", ""}};
    auto j = c.Post("/api/v1/analyses", bearer(bob_), form);
    ASSERT_EQ(j->status, 202) << j->body;
    bob_job_id_ = json_of(j)["job"]["id"];
    for (int i = 0; i < 600; ++i) {
      const auto job = json_of(get_as(*server_, bob_, "/api/v1/jobs/" + bob_job_id_))["job"];
      if (job["state"] == "done") break;
      ASSERT_TRUE(job["state"] == "queued" || job["state"] == "running") << job.dump();
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    // A batch of bob's (its one job need not finish).
    const httplib::MultipartFormDataItems batch_form{
        {"file", read_file(shared_audio(cough_file)), "bob-batch.flac", "audio/flac"}};
    auto batch = c.Post("/api/v1/batches", bearer(bob_), batch_form);
    ASSERT_EQ(batch->status, 202) << batch->body;
    bob_batch_id_ = json_of(batch)["id"];
    // A live session of bob's, fed a second and stopped (its event stream then ends at once).
    auto live = c.Post("/api/v1/live", bearer(bob_), "", "");
    ASSERT_EQ(live->status, 201) << live->body;
    bob_live_id_ = json_of(live)["id"];
    std::string pcm(32000 * 2, '\0');
    for (std::size_t i = 0; i < 32000; ++i) {
      const auto v = std::int16_t(int(i * 37 % 2000) - 1000);
      std::memcpy(pcm.data() + 2 * i, &v, 2);
    }
    auto chunk = c.Post(("/api/v1/live/" + bob_live_id_ + "/audio?seq=0").c_str(), bearer(bob_), pcm,
                        "application/octet-stream");
    ASSERT_EQ(chunk->status, 200) << chunk->body;
    auto stopped = c.Post(("/api/v1/live/" + bob_live_id_ + "/stop").c_str(), bearer(bob_), "", "");
    // A stop stores the analysis at once (200) or in a job (202), run here to its end.
    ASSERT_TRUE(stopped->status == 200 || stopped->status == 202) << stopped->body;
    if (stopped->status == 202) {
      const std::string stop_job = json_of(stopped)["job_id"];
      for (int i = 0; i < 600; ++i) {
        const auto job = json_of(get_as(*server_, bob_, "/api/v1/jobs/" + stop_job))["job"];
        if (job["state"] == "done") break;
        ASSERT_TRUE(job["state"] == "queued" || job["state"] == "running") << job.dump();
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
  }
  static void TearDownTestSuite() { delete server_; }

  static TestServer* server_;
  static std::string admin_, ann_, ann_read_, bob_, ann_id_, bob_id_, bob_job_id_, bob_batch_id_, bob_live_id_;
};
TestServer* AuthHttpTest::server_ = nullptr;
std::string AuthHttpTest::admin_, AuthHttpTest::ann_, AuthHttpTest::ann_read_, AuthHttpTest::bob_,
    AuthHttpTest::ann_id_, AuthHttpTest::bob_id_, AuthHttpTest::bob_job_id_, AuthHttpTest::bob_batch_id_,
    AuthHttpTest::bob_live_id_;

TEST_F(AuthHttpTest, HealthOpenApiAndTheWebAppStayOpen) {
  auto c = server_->client();
  auto health = c.Get("/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(json_of(health)["auth"], "required");
  auto openapi = c.Get("/openapi.json");
  ASSERT_TRUE(openapi);
  EXPECT_EQ(openapi->status, 200);
  const json doc = json_of(openapi);
  EXPECT_EQ(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
  const json& create = doc["paths"]["/api/v1/analyses"]["post"];
  EXPECT_TRUE(create["responses"].contains("401"));
  EXPECT_TRUE(create["responses"].contains("403"));
  EXPECT_TRUE(create["responses"].contains("429"));
  EXPECT_FALSE(create["security"].empty());
  EXPECT_FALSE(doc["paths"]["/health"]["get"].contains("security"));
  auto app = c.Get("/");
  ASSERT_TRUE(app);
  EXPECT_EQ(app->status, 200);
}

TEST_F(AuthHttpTest, EveryApiRouteNeedsAKey) {
  auto c = server_->client();
  for (const auto& route : http::route_table()) {
    if (!route.needs_key) continue;
    const std::string path = concrete_path(route.path, ann_id_);
    httplib::Result result = route.method == "GET"      ? c.Get(path.c_str())
                             : route.method == "DELETE" ? c.Delete(path.c_str())
                             : route.method == "PATCH"  ? c.Patch(path.c_str(), R"({"note": "x"})", "application/json")
                                                        : c.Post(path.c_str());
    SCOPED_TRACE(route.method + " " + path);
    expect_unauthorized(result);
  }
  EXPECT_EQ(json_of(get_as(*server_, ann_, "/api/v1/analyses/" + ann_id_))["id"], ann_id_);  // still there
}

TEST_F(AuthHttpTest, WrongRevokedAndExpiredKeysAre401) {
  const auto parts = auth::parse_key(ann_);
  ASSERT_TRUE(parts);
  std::string wrong_secret = ann_;
  wrong_secret.back() = wrong_secret.back() == '0' ? '1' : '0';
  expect_unauthorized(get_as(*server_, wrong_secret, "/api/v1/analyses"));
  expect_unauthorized(get_as(*server_, auth::generate_key().text, "/api/v1/analyses"));  // unknown id
  expect_unauthorized(get_as(*server_, "not-a-key", "/api/v1/analyses"));

  const std::string revoked = server_->issue_key("ann");
  ASSERT_EQ(get_as(*server_, revoked, "/api/v1/analyses")->status, 200);
  ASSERT_TRUE(server_->auth_store().revoke_key(auth::parse_key(revoked)->id));
  expect_unauthorized(get_as(*server_, revoked, "/api/v1/analyses"));

  const std::string expired = server_->issue_key("ann", auth::Role::member, auth::Scope::write, 0);
  expect_unauthorized(get_as(*server_, expired, "/api/v1/analyses"));
  const std::string later = server_->issue_key("ann", auth::Role::member, auth::Scope::write, 30);
  EXPECT_EQ(get_as(*server_, later, "/api/v1/analyses")->status, 200);

  auto c = server_->client();
  expect_unauthorized(c.Get("/api/v1/analyses", {{"Authorization", "Basic YW5uOnNlY3JldA=="}}));
  expect_unauthorized(c.Get("/api/v1/analyses", {{"Authorization", "Bearer " + ann_ + " extra"}}));
  EXPECT_EQ(c.Get("/api/v1/analyses", {{"Authorization", "bearer  " + ann_}})->status, 200);  // scheme: any case
}

TEST_F(AuthHttpTest, HostileAuthorizationHeaders) {
  const int port = server_->port();
  const auto status_with = [port](const std::string& value) {
    return status_of(raw_get(port, "/api/v1/analyses", "Authorization: " + value + "\r\n"));
  };
  const int huge = status_with("Bearer " + std::string(10 * 1024, 'a'));
  // Refused by us (401), or before us by the HTTP library's header line limit (400/431).
  EXPECT_TRUE(huge == 401 || huge == 400 || huge == 431) << huge;
  EXPECT_EQ(status_with("Bearer sl_\xc3\xa9\xc3\xa9\xff\xfe_k\xe2\x80\x8b"), 401);
  EXPECT_EQ(status_with("Bearer"), 401);
  EXPECT_EQ(status_with("Bearer "), 401);
  EXPECT_EQ(status_with(""), 401);
  EXPECT_EQ(status_with("Bearer " + ann_.substr(0, 20) + "\x01" + ann_.substr(21)), 401);
  const std::string reply = raw_get(port, "/api/v1/analyses", "Authorization: Bearer\r\n");
  EXPECT_EQ(json::parse(body_of(reply))["error"]["status"], 401);
  // The server is still well.
  EXPECT_EQ(get_as(*server_, ann_, "/api/v1/analyses")->status, 200);
}

TEST_F(AuthHttpTest, ReadOnlyKeysCannotWrite) {
  expect_error(upload_as(*server_, ann_read_, "x.flac"), 403, "forbidden");
  auto c = server_->client();
  expect_error(c.Delete(("/api/v1/analyses/" + ann_id_).c_str(), bearer(ann_read_)), 403, "forbidden");
  expect_error(c.Post("/analyze_audio", bearer(ann_read_), "", "text/plain"), 403, "forbidden");
  EXPECT_EQ(get_as(*server_, ann_read_, "/api/v1/analyses/" + ann_id_)->status, 200);
  EXPECT_EQ(get_as(*server_, ann_, "/api/v1/analyses/" + ann_id_)->status, 200);  // not deleted
}

// Every route of the table that takes an analysis or job id, so that a new route is covered too.
TEST_F(AuthHttpTest, AnotherUsersAnalysisIs404OnEveryRoute) {
  const std::string unknown = "0123456789abcdef0123456789abcdef";
  int id_routes = 0;
  const auto bobs = [](const http::RouteSpec& route) {
    if (route.path.starts_with("/api/v1/batches/")) return bob_batch_id_;
    if (route.path.starts_with("/api/v1/live/")) return bob_live_id_;
    return route.path.starts_with("/api/v1/jobs/") ? bob_job_id_ : bob_id_;
  };
  for (const auto& route : http::route_table()) {
    if (route.path.find("{id}") == std::string::npos || route.method != "GET") continue;  // writes: below
    ++id_routes;
    const std::string bob_id = bobs(route);
    const std::string path = concrete_path(route.path, bob_id);
    SCOPED_TRACE(route.method + " " + path);
    const auto other = get_as(*server_, ann_, path);
    expect_error(other, 404, "not_found");
    const auto missing = get_as(*server_, ann_, concrete_path(route.path, unknown));
    ASSERT_TRUE(missing);
    // The same answer as for an id that does not exist, but for the id itself.
    std::string missing_message = json_of(missing)["error"]["message"];
    if (const auto at = missing_message.find(unknown); at != std::string::npos)
      missing_message.replace(at, unknown.size(), bob_id);
    EXPECT_EQ(missing->status, 404);
    EXPECT_EQ(json_of(other)["error"]["message"], missing_message);
    // Its owner and an admin get it.
    const auto own = get_as(*server_, bob_, path);
    ASSERT_TRUE(own);
    EXPECT_EQ(own->status, 200) << own->body.substr(0, 300);
    const auto admin = get_as(*server_, admin_, path);
    ASSERT_TRUE(admin);
    EXPECT_EQ(admin->status, 200) << admin->body.substr(0, 300);
  }
  EXPECT_GE(id_routes, 10);  // today: 10 GET routes with {id}
  // Feeding or stopping another user's live session: 404 for ann, and bob's session is as it was.
  {
    auto c = server_->client();
    expect_error(c.Post(("/api/v1/live/" + bob_live_id_ + "/audio?seq=1").c_str(), bearer(ann_), "\x01\x02",
                        "application/octet-stream"),
                 404, "not_found");
    expect_error(c.Post(("/api/v1/live/" + bob_live_id_ + "/stop").c_str(), bearer(ann_), "", ""), 404, "not_found");
  }
  // Deleting: 404 for ann, and bob's analysis is still there.
  for (const auto& route : http::route_table()) {
    if (route.path.find("{id}") == std::string::npos || route.method != "DELETE") continue;
    auto c = server_->client();
    expect_error(c.Delete(concrete_path(route.path, bobs(route)).c_str(), bearer(ann_)), 404, "not_found");
  }
  // Changing its note or reviewing its events: 404 for ann too, and nothing changes.
  for (const auto& route : http::route_table()) {
    if (route.path.find("{id}") == std::string::npos || route.method != "PATCH") continue;
    auto c = server_->client();
    const std::string change = route.path.ends_with("{event_index}") ? R"({"status": "rejected"})"
                                                                      : R"({"note": "ann was here"})";
    expect_error(c.Patch(concrete_path(route.path, bob_id_).c_str(), bearer(ann_), change, "application/json"),
                 404, "not_found");
  }
  const json bobs_analysis = json_of(get_as(*server_, bob_, "/api/v1/analyses/" + bob_id_));
  EXPECT_EQ(bobs_analysis["note"], "");
  for (const auto& event : bobs_analysis["events"]) EXPECT_EQ(event["review"]["status"], "unreviewed");
  // Comparing with another user's analysis: 404 as if unknown.
  expect_error(get_as(*server_, ann_, "/api/v1/compare?a=" + ann_id_ + "&b=" + bob_id_), 404, "not_found");
  EXPECT_EQ(json_of(get_as(*server_, bob_, "/api/v1/jobs/" + bob_job_id_))["job"]["state"], "done");
}

// A job belongs to whoever submitted it, and so does the analysis it stores.
TEST_F(AuthHttpTest, JobsAndTheirAnalysesBelongToTheirSubmitter) {
  const auto job_ids = [](const httplib::Result& result) {
    std::set<std::string> ids;
    const json list = json_of(result);
    for (const auto& job : list["items"]) ids.insert(job["id"].get<std::string>());
    return ids;
  };
  EXPECT_FALSE(job_ids(get_as(*server_, ann_, "/api/v1/jobs")).contains(bob_job_id_));
  EXPECT_TRUE(job_ids(get_as(*server_, bob_, "/api/v1/jobs")).contains(bob_job_id_));
  EXPECT_TRUE(job_ids(get_as(*server_, admin_, "/api/v1/jobs")).contains(bob_job_id_));

  const json job = json_of(get_as(*server_, bob_, "/api/v1/jobs/" + bob_job_id_))["job"];
  const std::string analysis = job["analysis_id"];
  EXPECT_EQ(get_as(*server_, bob_, "/api/v1/analyses/" + analysis)->status, 200);
  expect_error(get_as(*server_, ann_, "/api/v1/analyses/" + analysis), 404, "not_found");
  // The audit log names bob as the creator of the job's analysis.
  bool audited = false;
  const json log = json_of(get_as(*server_, admin_, "/api/v1/audit?limit=500"));
  for (const auto& entry : log["items"])
    if (entry["analysis_id"] == analysis && entry["action"] == "create") audited = entry["user"] == "bob";
  EXPECT_TRUE(audited);
}

TEST_F(AuthHttpTest, HistoryListsOnlyTheCallersOwnAdminsSeeAll) {
  const auto ids_of = [](const httplib::Result& result) {
    std::set<std::string> ids;
    const json page = json_of(result);  // kept: a range-for over a temporary's member would dangle
    for (const auto& item : page["items"]) ids.insert(item["id"].get<std::string>());
    return ids;
  };
  const auto anns = ids_of(get_as(*server_, ann_, "/api/v1/analyses"));
  EXPECT_TRUE(anns.contains(ann_id_));
  EXPECT_FALSE(anns.contains(bob_id_));
  const json page = json_of(get_as(*server_, bob_, "/api/v1/analyses"));
  EXPECT_EQ(page["total"], page["items"].size());
  for (const auto& item : page["items"]) EXPECT_NE(item["id"], ann_id_);
  const auto all = ids_of(get_as(*server_, admin_, "/api/v1/analyses"));
  EXPECT_TRUE(all.contains(ann_id_));
  EXPECT_TRUE(all.contains(bob_id_));
}

TEST_F(AuthHttpTest, AuditRecordsWhoDidWhatAndOnlyAdminsReadIt) {
  const auto created = upload_as(*server_, ann_, "audited.flac");
  ASSERT_EQ(created->status, 201);
  const std::string id = json_of(created)["id"];
  ASSERT_EQ(get_as(*server_, ann_, "/api/v1/analyses/" + id + "/audio")->status, 200);
  ASSERT_EQ(get_as(*server_, ann_, "/api/v1/analyses/" + id + "/events.csv")->status, 200);
  auto c = server_->client();
  ASSERT_EQ(c.Delete(("/api/v1/analyses/" + id).c_str(), bearer(ann_))->status, 200);
  // A refused attempt leaves no row: bob cannot read it, and his try is not "reading the audio".
  get_as(*server_, bob_, "/api/v1/analyses/" + ann_id_ + "/audio");

  expect_error(get_as(*server_, ann_, "/api/v1/audit"), 403, "forbidden");
  const auto audit = get_as(*server_, admin_, "/api/v1/audit");
  ASSERT_EQ(audit->status, 200) << audit->body;
  std::vector<std::string> actions;
  const json rows = json_of(audit);
  for (const auto& row : rows["items"]) {
    if (row["analysis_id"] == ann_id_) EXPECT_NE(row["user"], "bob");
    if (row["analysis_id"] != id) continue;
    EXPECT_EQ(row["user"], "ann");
    EXPECT_FALSE(row["at"].get<std::string>().empty());
    actions.insert(actions.begin(), row["action"].get<std::string>());  // the log is newest first
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"create", "read_audio", "export", "delete"}));
}

TEST(AuthRateLimit, RequestsPerMinuteGive429WithRetryAfter) {
  TestServer server({.load_model = false, .auth = auth::AuthMode::required, .rate_limits = {3, 0}});
  const std::string a = server.issue_key("ann"), b = server.issue_key("bob");
  for (int i = 0; i < 3; ++i) ASSERT_EQ(get_as(server, a, "/api/v1/analyses")->status, 200);
  const auto limited = get_as(server, a, "/api/v1/analyses");
  expect_error(limited, 429, "rate_limited");
  const int retry_after = std::stoi(limited->get_header_value("Retry-After"));
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 60);
  EXPECT_EQ(get_as(server, b, "/api/v1/analyses")->status, 200);  // another key, its own budget
  expect_unauthorized(get_as(server, "sl_bad", "/api/v1/analyses"));  // a bad key is not rate limited: 401
}

TEST(AuthRateLimit, AudioSecondsPerMinuteGive429) {
  TestServer server({.auth = auth::AuthMode::required, .rate_limits = {0, 1.0}});
  const std::string key = server.issue_key("ann");
  ASSERT_EQ(upload_as(server, key, "first.flac")->status, 201);  // a cough of several seconds: over 1 s
  const auto limited = upload_as(server, key, "second.flac");
  expect_error(limited, 429, "rate_limited");
  EXPECT_FALSE(limited->get_header_value("Retry-After").empty());
  EXPECT_EQ(get_as(server, key, "/api/v1/analyses")->status, 200);  // reading still works
}

// An async=1 upload is accepted (202) without decoding it; its audio-seconds
// are charged once its job has run, so the next upload of that key is refused.
TEST(AuthRateLimit, AJobsAudioSecondsAreChargedWhenItHasRun) {
  TestServer server({.auth = auth::AuthMode::required, .rate_limits = {0, 1.0}});
  const std::string key = server.issue_key("ann"), other = server.issue_key("bob");
  auto c = server.client();
  const httplib::MultipartFormDataItems form{
      {"file", read_file(shared_audio(cough_file)), "job.flac", "audio/flac"}, {"async", "1", "", ""}};
  auto j = c.Post("/api/v1/analyses", bearer(key), form);
  ASSERT_EQ(j->status, 202) << j->body;
  const std::string job_id = json_of(j)["job"]["id"];
  std::string state;
  for (int i = 0; i < 600 && state != "done"; ++i) {
    state = json_of(get_as(server, key, "/api/v1/jobs/" + job_id))["job"]["state"];
    ASSERT_TRUE(state == "queued" || state == "running" || state == "done") << state;
    if (state != "done") std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(state, "done");
  expect_error(upload_as(server, key, "after-the-job.flac"), 429, "rate_limited");
  EXPECT_EQ(upload_as(server, other, "bobs.flac")->status, 201);  // another key, its own budget
}

TEST(AuthOff, BehavesAsBeforeAndHealthSaysSo) {
  TestServer server;
  auto c = server.client();
  EXPECT_EQ(json_of(c.Get("/health"))["auth"], "off");
  EXPECT_EQ(c.Get("/api/v1/analyses")->status, 200);
  EXPECT_EQ(c.Get("/api/v1/analyses", {{"Authorization", "Bearer nonsense"}})->status, 200);
  auto created = upload(c, "/api/v1/analyses", "open.flac", read_file(shared_audio(cough_file)));
  ASSERT_EQ(created->status, 201);
  const std::string id = json_of(created)["id"];
  EXPECT_EQ(c.Get(("/api/v1/analyses/" + id + "/audio").c_str())->status, 200);
  // Still audited, without a user.
  const auto audit = json_of(c.Get("/api/v1/audit"));
  ASSERT_FALSE(audit["items"].empty());
  EXPECT_TRUE(audit["items"][0]["user_id"].is_null());
  EXPECT_EQ(audit["items"][0]["action"], "read_audio");
}

}  // namespace
}  // namespace soundlens::test
