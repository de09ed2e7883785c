// Web sign-in through the real server: the session cookie's flags (HttpOnly,
// SameSite=Strict, Path, Secure with --cookie-secure yes), the same 401 for a
// wrong password and an unknown name (after the same work), hostile sign-in
// bodies, CSRF on every write by cookie (POST, PATCH, DELETE: refused without
// the token or with a wrong one, accepted with it), Bearer writes needing none,
// sign-out ending the session, expired sessions, separation of users through
// a cookie, the limits on failed sign-ins per address and per name (with the
// owner's address exempt), /health and the audit log with failed sign-ins.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <regex>
#include <thread>

#include "auth/password.h"
#include "auth/session_token.h"
#include "storage/session_store.h"
#include "test_paths.h"
#include "test_server.h"

namespace soundlens::test {
namespace {
using nlohmann::json;

const std::string cough_file = "cough/00096021-2cb2-4098-b906-4878a5e225a3.flac";

// Passwords in most tests use few iterations (the server reads the count from
// the stored form); the timing test uses the default.
void set_password(TestServer& server, const std::string& user, const std::string& password, int iterations = 1000) {
  const auto record = server.auth_store().find_user(user);
  ASSERT_TRUE(record) << user;
  server.auth_store().set_password_hash(record->id, auth::hash_password(password, iterations));
}

httplib::Result sign_in(TestServer& server, const std::string& name, const std::string& password) {
  auto c = server.client();
  return c.Post("/api/v1/session", json{{"name", name}, {"password", password}}.dump(), "application/json");
}

struct Session {
  std::string cookie;      // "soundlens_session=TOKEN", as a browser sends it back
  std::string csrf_token;
  std::string set_cookie;  // the header as the server sent it
};

Session signed_in(TestServer& server, const std::string& name, const std::string& password) {
  const auto r = sign_in(server, name, password);
  EXPECT_TRUE(r);
  if (!r) return {};
  EXPECT_EQ(r->status, 200) << r->body;
  Session s;
  s.set_cookie = r->get_header_value("Set-Cookie");
  s.cookie = s.set_cookie.substr(0, s.set_cookie.find(';'));
  s.csrf_token = json_of(r).value("csrf_token", "");
  return s;
}

httplib::Headers with_cookie(const Session& s, std::optional<std::string> csrf = std::nullopt) {
  httplib::Headers h{{"Cookie", s.cookie}};
  if (csrf) h.emplace("X-CSRF-Token", *csrf);
  return h;
}

httplib::Result upload_with(TestServer& server, const httplib::Headers& headers) {
  auto c = server.client();
  c.set_default_headers(headers);
  return upload(c, "/api/v1/analyses", "cough.flac", read_file(shared_audio(cough_file)));
}

class SessionHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new TestServer({.auth = auth::AuthMode::required});
    ann_key_ = server_->issue_key("ann");
    bob_key_ = server_->issue_key("bob");
    server_->issue_key("nopass");  // a user without a password
    set_password(*server_, "ann", "ann's long password");
    set_password(*server_, "bob", "bob's long password");
    auto c = server_->client();
    const auto b = c.Post("/api/v1/analyses", {{"Authorization", "Bearer " + bob_key_}},
                          httplib::MultipartFormDataItems{
                              {"file", read_file(shared_audio(cough_file)), "bob.flac", "audio/flac"}});
    ASSERT_EQ(b->status, 201) << b->body;
    bob_id_ = json_of(b)["id"];
  }
  static void TearDownTestSuite() { delete server_; }
  static TestServer* server_;
  static std::string ann_key_, bob_key_, bob_id_;
};
TestServer* SessionHttpTest::server_ = nullptr;
std::string SessionHttpTest::ann_key_, SessionHttpTest::bob_key_, SessionHttpTest::bob_id_;

TEST_F(SessionHttpTest, SignInSetsAStrictHttpOnlyCookieAndAnswersTheCsrfToken) {
  const auto r = sign_in(*server_, "ann", "ann's long password");
  ASSERT_EQ(r->status, 200) << r->body;
  const std::string set_cookie = r->get_header_value("Set-Cookie");
  EXPECT_TRUE(std::regex_match(set_cookie, std::regex("soundlens_session=[0-9a-f]{64}; HttpOnly; SameSite=Strict; "
                                                      "Path=/; Max-Age=43200")))
      << set_cookie;
  EXPECT_EQ(set_cookie.find("Secure"), std::string::npos);  // plain HTTP without --cookie-secure yes
  EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store");
  const json body = json_of(r);
  EXPECT_EQ(body["user"], "ann");
  EXPECT_EQ(body["role"], "member");
  EXPECT_TRUE(std::regex_match(body["csrf_token"].get<std::string>(), std::regex("[0-9a-f]{64}")));
  EXPECT_TRUE(body["expires_at"].is_string());
  // The token is not what is stored: the database holds only its SHA-256.
  const std::string token = set_cookie.substr(18, 64);
  auto sessions = open_sqlite_session_store((server_->data_dir() / "data").string());
  EXPECT_TRUE(sessions->find_session(auth::session_token_hash(token)));
  EXPECT_FALSE(sessions->find_session(token));
  // GET /api/v1/session tells who is signed in, with the same CSRF token (a reloaded page).
  auto c = server_->client();
  const auto who = c.Get("/api/v1/session", {{"Cookie", set_cookie.substr(0, set_cookie.find(';'))}});
  ASSERT_EQ(who->status, 200) << who->body;
  EXPECT_EQ(json_of(who)["user"], "ann");
  EXPECT_EQ(json_of(who)["csrf_token"], body["csrf_token"]);
  expect_error(c.Get("/api/v1/session"), 401, "unauthorized");
}

TEST_F(SessionHttpTest, WrongPasswordUnknownNameAndNoPasswordGetTheSame401) {
  const auto wrong = sign_in(*server_, "ann", "not ann's password");
  const auto unknown = sign_in(*server_, "nobody", "ann's long password");
  const auto nopass = sign_in(*server_, "nopass", "ann's long password");
  for (const auto* r : {&wrong, &unknown, &nopass}) {
    expect_error(*r, 401, "unauthorized");
    EXPECT_FALSE((*r)->has_header("Set-Cookie"));
  }
  EXPECT_EQ(wrong->body, unknown->body);
  EXPECT_EQ(wrong->body, nopass->body);
}

TEST_F(SessionHttpTest, AnUnknownNameCostsAsMuchWorkAsAWrongPassword) {
  server_->issue_key("slow");
  set_password(*server_, "slow", "the slow password", auth::password_iterations);
  const auto median_ms = [](const std::string& name) {
    std::vector<double> times;
    for (int i = 0; i < 3; ++i) {
      const auto start = std::chrono::steady_clock::now();
      const auto r = sign_in(*server_, name, "a wrong password");
      times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
      EXPECT_EQ(r->status, 401);
    }
    std::sort(times.begin(), times.end());
    return times[1];
  };
  const double known = median_ms("slow"), unknown = median_ms("no such user");
  // 200,000 iterations take tens of milliseconds on any machine; an unknown
  // name answered without them would take well under one.
  EXPECT_GT(known, 10.0);
  EXPECT_GT(unknown, 0.5 * known) << "known " << known << " ms, unknown " << unknown << " ms";
}

TEST_F(SessionHttpTest, HostileSignInBodiesAre400) {
  auto c = server_->client();
  for (const std::string& body :
       {std::string("not json"), std::string("[]"), std::string("{\"name\":\"ann\"}"),
        std::string("{\"name\":1,\"password\":\"ann's long password\"}"),
        std::string("{\"name\":\"ann\",\"password\":\"ann's long password\",\"admin\":true}"),
        std::string("{\"name\":\"ann\",\"password\":\"\xff\xfe\"}"), std::string("{\"name\":\"\",\"password\":\"x\"}"),
        json{{"name", "ann"}, {"password", std::string(1025, 'a')}}.dump(),
        json{{"name", "ann"}, {"password", std::string(9000, 'a')}}.dump()}) {
    const auto r = c.Post("/api/v1/session", body, "application/json");
    expect_error(r, 400, "bad_request");
    EXPECT_FALSE(r->has_header("Set-Cookie")) << body;
  }
  expect_error(c.Post("/api/v1/session", "name=ann&password=x", "application/x-www-form-urlencoded"), 400,
               "bad_request");
}

TEST_F(SessionHttpTest, WritesByCookieNeedTheCsrfToken) {
  const Session s = signed_in(*server_, "ann", "ann's long password");
  auto c = server_->client();
  const auto count = [&] { return json_of(c.Get("/api/v1/analyses", with_cookie(s)))["total"].get<int>(); };
  const int before = count();
  // POST: without the token, with a wrong one, then with it.
  auto missing = upload_with(*server_, with_cookie(s));
  expect_error(missing, 403, "csrf_token_missing");
  auto wrong = upload_with(*server_, with_cookie(s, std::string(64, '0')));
  expect_error(wrong, 403, "csrf_token_invalid");
  EXPECT_EQ(count(), before);  // nothing was stored
  auto created = upload_with(*server_, with_cookie(s, s.csrf_token));
  ASSERT_EQ(created->status, 201) << created->body;
  const std::string id = json_of(created)["id"];
  EXPECT_EQ(count(), before + 1);
  // PATCH.
  const std::string path = "/api/v1/analyses/" + id;
  const std::string note = json{{"note", "by cookie"}}.dump();
  expect_error(c.Patch(path.c_str(), with_cookie(s), note, "application/json"), 403, "csrf_token_missing");
  expect_error(c.Patch(path.c_str(), with_cookie(s, "x"), note, "application/json"), 403, "csrf_token_invalid");
  const auto patched = c.Patch(path.c_str(), with_cookie(s, s.csrf_token), note, "application/json");
  ASSERT_EQ(patched->status, 200) << patched->body;
  EXPECT_EQ(json_of(patched)["note"], "by cookie");
  // DELETE.
  expect_error(c.Delete(path.c_str(), with_cookie(s)), 403, "csrf_token_missing");
  expect_error(c.Delete(path.c_str(), with_cookie(s, s.csrf_token + "0")), 403, "csrf_token_invalid");
  EXPECT_EQ(c.Get(path.c_str(), with_cookie(s))->status, 200);  // still there
  EXPECT_EQ(c.Delete(path.c_str(), with_cookie(s, s.csrf_token))->status, 200);
  EXPECT_EQ(c.Get(path.c_str(), with_cookie(s))->status, 404);
  // Another session's token is not this one's.
  const Session other = signed_in(*server_, "ann", "ann's long password");
  expect_error(upload_with(*server_, with_cookie(s, other.csrf_token)), 403, "csrf_token_invalid");
}

TEST_F(SessionHttpTest, BearerWritesNeedNoCsrfToken) {
  auto created = upload_with(*server_, {{"Authorization", "Bearer " + ann_key_}});
  ASSERT_EQ(created->status, 201) << created->body;
  auto c = server_->client();
  const std::string path = "/api/v1/analyses/" + json_of(created)["id"].get<std::string>();
  EXPECT_EQ(c.Delete(path.c_str(), {{"Authorization", "Bearer " + ann_key_}})->status, 200);
  // A Bearer key wins over a cookie sent alongside: still no CSRF token needed.
  const Session s = signed_in(*server_, "ann", "ann's long password");
  httplib::Headers both = with_cookie(s);
  both.emplace("Authorization", "Bearer " + ann_key_);
  EXPECT_EQ(upload_with(*server_, both)->status, 201);
}

TEST_F(SessionHttpTest, SignOutEndsTheSessionAndClearsTheCookie) {
  const Session s = signed_in(*server_, "ann", "ann's long password");
  auto c = server_->client();
  ASSERT_EQ(c.Get("/api/v1/analyses", with_cookie(s))->status, 200);
  expect_error(c.Delete("/api/v1/session", with_cookie(s)), 403, "csrf_token_missing");
  const auto out = c.Delete("/api/v1/session", with_cookie(s, s.csrf_token));
  ASSERT_EQ(out->status, 200) << out->body;
  EXPECT_EQ(json_of(out)["signed_out"], true);
  EXPECT_EQ(out->get_header_value("Set-Cookie"), "soundlens_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
  // The same cookie afterwards is 401 everywhere.
  expect_error(c.Get("/api/v1/analyses", with_cookie(s)), 401, "unauthorized");
  expect_error(c.Get("/api/v1/session", with_cookie(s)), 401, "unauthorized");
  expect_error(upload_with(*server_, with_cookie(s, s.csrf_token)), 401, "unauthorized");
  expect_error(c.Delete("/api/v1/session", with_cookie(s, s.csrf_token)), 401, "unauthorized");
}

TEST_F(SessionHttpTest, AnExpiredSessionIs401) {
  const auto ann = server_->auth_store().find_user("ann");
  auto sessions = open_sqlite_session_store((server_->data_dir() / "data").string());
  const std::string token = auth::new_session_token();
  SessionRecord record;
  record.token_hash = auth::session_token_hash(token);
  record.user_id = ann->id;
  record.csrf_token = "csrf";
  sessions->add_session(record, -5);
  auto c = server_->client();
  const auto r = c.Get("/api/v1/analyses", {{"Cookie", "soundlens_session=" + token}});
  expect_error(r, 401, "unauthorized");
  EXPECT_NE(json_of(r)["error"]["message"].get<std::string>().find("expired"), std::string::npos);
  expect_error(c.Get("/api/v1/session", {{"Cookie", "soundlens_session=" + token}}), 401, "unauthorized");
  // A made-up token and a malformed cookie are 401 too.
  expect_error(c.Get("/api/v1/analyses", {{"Cookie", "soundlens_session=" + std::string(64, 'a')}}), 401);
  expect_error(c.Get("/api/v1/analyses", {{"Cookie", "soundlens_session"}}), 401);
}

TEST_F(SessionHttpTest, AnotherUsersAnalysisIs404ThroughACookie) {
  const Session s = signed_in(*server_, "ann", "ann's long password");
  auto c = server_->client();
  const std::string path = "/api/v1/analyses/" + bob_id_;
  expect_error(c.Get(path.c_str(), with_cookie(s)), 404, "not_found");
  expect_error(c.Delete(path.c_str(), with_cookie(s, s.csrf_token)), 404, "not_found");
  for (const auto& item : json_of(c.Get("/api/v1/analyses", with_cookie(s)))["items"]) EXPECT_NE(item["id"], bob_id_);
  const Session bob = signed_in(*server_, "bob", "bob's long password");
  EXPECT_EQ(c.Get(path.c_str(), with_cookie(bob))->status, 200);
}

TEST_F(SessionHttpTest, HealthSaysSignInIsAvailableAndTheAuditLogHasSignInAndOut) {
  auto c = server_->client();
  EXPECT_EQ(json_of(c.Get("/health"))["sign_in"], true);
  const Session s = signed_in(*server_, "bob", "bob's long password");
  ASSERT_EQ(c.Delete("/api/v1/session", with_cookie(s, s.csrf_token))->status, 200);
  bool in = false, out = false;
  for (const auto& entry : server_->auth_store().list_audit(500, 0).items) {
    if (entry.user_name != "bob") continue;
    in = in || entry.action == "sign_in";
    out = out || entry.action == "sign_out";
  }
  EXPECT_TRUE(in);
  EXPECT_TRUE(out);
}

TEST(SessionHttp, SecureCookieWithCookieSecureYes) {
  TestServer server({.load_model = false, .auth = auth::AuthMode::required, .cookie_secure = true});
  server.issue_key("cy");
  set_password(server, "cy", "cy's long password");
  const auto r = sign_in(server, "cy", "cy's long password");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_TRUE(r->get_header_value("Set-Cookie").ends_with("; Path=/; Max-Age=43200; Secure"))
      << r->get_header_value("Set-Cookie");
}

// The loopback network is 127.0.0.0/8: a client bound to 127.0.0.N is another address to the server.
httplib::Result sign_in_from(TestServer& server, const std::string& address, const std::string& name,
                             const std::string& password) {
  auto c = server.client();
  c.set_interface(address);
  return c.Post("/api/v1/session", json{{"name", name}, {"password", password}}.dump(), "application/json");
}

int retry_after(const httplib::Result& r) { return r ? std::atoi(r->get_header_value("Retry-After").c_str()) : 0; }

TEST(SessionHttp, FailedSignInsFromOneAddressAreLimitedForNamesItHasNotSignedInTo) {
  TestServer server({.load_model = false, .auth = auth::AuthMode::required, .sign_in_limits = {3, 100000, 900}});
  for (const char* user : {"cy", "dee"}) {
    server.issue_key(user);
    set_password(server, user, std::string(user) + "'s long password");
  }
  ASSERT_EQ(sign_in_from(server, "127.0.0.3", "dee", "dee's long password")->status, 200);  // dee's usual place
  for (int i = 0; i < 3; ++i) EXPECT_EQ(sign_in_from(server, "127.0.0.3", "cy", "a wrong password")->status, 401);
  // The address has had its failures: cy's right password from it waits (cy never signed in there) ...
  const auto limited = sign_in_from(server, "127.0.0.3", "cy", "cy's long password");
  expect_error(limited, 429, "rate_limited");
  EXPECT_GE(retry_after(limited), 1);
  EXPECT_LE(retry_after(limited), 60);
  // ... but an account that signed in from it before is not locked out by the others behind it,
  EXPECT_EQ(sign_in_from(server, "127.0.0.3", "dee", "dee's long password")->status, 200);
  // and from another address cy signs in.
  EXPECT_EQ(sign_in_from(server, "127.0.0.4", "cy", "cy's long password")->status, 200);
}

TEST(SessionHttp, FailuresOfOneNameFromEverywhereBackOffButNotItsOwnersAddress) {
  TestServer server({.load_model = false, .auth = auth::AuthMode::required, .sign_in_limits = {100, 3, 900}});
  server.issue_key("cy");
  set_password(server, "cy", "cy's long password");
  ASSERT_EQ(sign_in_from(server, "127.0.0.5", "cy", "cy's long password")->status, 200);  // cy's computer
  // An attacker going round addresses: the name's failures count wherever they come from.
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(sign_in_from(server, "127.0.1." + std::to_string(i + 1), "cy", "guess " + std::to_string(i))->status, 401);
  const auto backed_off = sign_in_from(server, "127.0.1.9", "cy", "cy's long password");
  expect_error(backed_off, 429, "rate_limited");  // not even checked: a refusal tells nothing of the password
  EXPECT_GE(retry_after(backed_off), 1);
  EXPECT_NE(json_of(backed_off)["error"]["message"].get<std::string>().find("for this name"), std::string::npos);
  // The owner's address signs in during the back-off; a wrong password from it is a 401, not a 429.
  EXPECT_EQ(sign_in_from(server, "127.0.0.5", "cy", "cy's long password")->status, 200);
  EXPECT_EQ(sign_in_from(server, "127.0.0.5", "cy", "a typo")->status, 401);
  EXPECT_EQ(sign_in_from(server, "127.0.0.5", "cy", "cy's long password")->status, 200);
  // Once the wait is over, the next attempt from elsewhere is tried again.
  std::this_thread::sleep_for(std::chrono::seconds(retry_after(backed_off)) + std::chrono::milliseconds(200));
  EXPECT_EQ(sign_in_from(server, "127.0.1.9", "cy", "cy's long password")->status, 200);
}

TEST(SessionHttp, FailedSignInsAreAuditedWithNameAddressAndReasonButNoPassword) {
  TestServer server({.load_model = false, .auth = auth::AuthMode::required, .sign_in_limits = {100, 2, 900}});
  server.issue_key("cy");
  server.issue_key("nopass");
  set_password(server, "cy", "cy's long password");
  EXPECT_EQ(sign_in_from(server, "127.0.0.6", "cy", "secret guess one")->status, 401);
  EXPECT_EQ(sign_in_from(server, "127.0.0.6", "nobody", "secret guess two")->status, 401);
  EXPECT_EQ(sign_in_from(server, "127.0.0.6", "nopass", "secret guess three")->status, 401);
  EXPECT_EQ(sign_in_from(server, "127.0.0.7", "cy", "secret guess four")->status, 401);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(sign_in_from(server, "127.0.0.8", "cy", "secret guess five")->status, 429);
  std::map<std::string, std::vector<std::string>> failed;  // name -> details
  for (const auto& entry : server.auth_store().list_audit(500, 0).items) {
    for (const char* secret : {"secret guess", "long password"}) {
      EXPECT_EQ(entry.detail.find(secret), std::string::npos) << entry.detail;
      EXPECT_EQ(entry.user_name.find(secret), std::string::npos) << entry.user_name;
    }
    if (entry.action == "sign_in_failed") failed[entry.user_name].push_back(entry.detail);
  }
  const auto has = [&](const std::string& name, const std::string& text) {
    const auto& details = failed[name];
    return std::any_of(details.begin(), details.end(), [&](const std::string& d) { return d.find(text) != d.npos; });
  };
  EXPECT_TRUE(has("cy", "from 127.0.0.6: wrong password"));
  EXPECT_TRUE(has("cy", "from 127.0.0.7: wrong password"));
  EXPECT_TRUE(has("nobody", "from 127.0.0.6: unknown name"));
  EXPECT_TRUE(has("nopass", "from 127.0.0.6: the user has no password"));
  EXPECT_TRUE(has("cy", "from 127.0.0.8: refused (429)"));
  EXPECT_EQ(failed["cy"].size(), 3u) << "three 429s in one spell are one row";
}

TEST(SessionHttp, WithAuthenticationOffThereIsNothingToSignInTo) {
  TestServer server({.load_model = false});
  auto c = server.client();
  EXPECT_EQ(json_of(c.Get("/health"))["sign_in"], false);
  expect_error(sign_in(server, "anyone", "any password at all"), 400, "bad_request");
}

}  // namespace
}  // namespace soundlens::test
