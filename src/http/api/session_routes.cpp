// Web sign-in: POST /api/v1/session (name and password -> session cookie and
// CSRF token), GET (who is signed in), DELETE (sign out). Only with
// authentication required; every other route accepts the cookie in access.cpp.
#include <nlohmann/json.hpp>

#include "auth/keys.h"
#include "auth/password.h"
#include "auth/session_token.h"
#include "core/error.h"
#include "http/api/access.h"
#include "http/api/json_body.h"
#include "http/api/routes.h"

namespace soundlens::http {
namespace {

constexpr std::size_t max_sign_in_body = 8192;  // a 64-byte name and a 1024-byte password, escaped

[[noreturn]] void bad(const std::string& message) { throw Error(ErrorCode::bad_request, message); }

struct Credentials {
  std::string name, password;
};

Credentials read_credentials(const Request& request) {
  if (request.content_type.rfind("application/json", 0) != 0)
    bad("sign in with a JSON body {\"name\": ..., \"password\": ...} and Content-Type: application/json");
  if (request.body.size() > max_sign_in_body)
    bad("the sign-in body is larger than " + std::to_string(max_sign_in_body) + " bytes");
  const auto body = json_object_body(request.body, "{\"name\": ..., \"password\": ...}");
  for (const auto& [field, value] : body.items())
    if (field != "name" && field != "password") bad("unknown field " + quoted_value(field) + " (name, password)");
  if (!body.contains("name") || !body["name"].is_string() || !body.contains("password") ||
      !body["password"].is_string())
    bad("the sign-in body needs \"name\" and \"password\" as strings");
  Credentials c{body["name"].get<std::string>(), body["password"].get<std::string>()};
  if (c.name.empty() || c.name.size() > 64) bad("the name is 1 to 64 characters");
  if (c.password.empty()) bad("the password is empty");
  if (c.password.size() > auth::max_password_bytes)
    bad("the password is longer than " + std::to_string(auth::max_password_bytes) + " bytes");
  return c;
}

std::string cookie(const ServiceState& state, const std::string& value, std::int64_t max_age_s) {
  std::string text = std::string(auth::session_cookie_name) + "=" + value +
                     "; HttpOnly; SameSite=Strict; Path=/; Max-Age=" + std::to_string(max_age_s);
  if (state.config.cookie_secure) text += "; Secure";
  return text;
}

Response session_json(const SessionRecord& session) {
  Response response = Response::json(200, {{"user", session.user_name},
                                           {"role", session.role},
                                           {"csrf_token", session.csrf_token},
                                           {"expires_at", session.expires_at}});
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

void audit_session(ServiceState& state, const SessionRecord& session, const std::string& action,
                   const std::string& detail) {
  AuditRecord record;
  record.user_id = session.user_id;
  record.user_name = session.user_name;
  record.key_id = session_key_id(session);
  record.action = action;
  record.detail = detail;
  append_audit(state, record);
}

Response refused_401(const std::string& message) {
  return access_refused(401, AccessCode::unauthorized, message);
}

// A failed sign-in in the audit log: the name tried, the address and why; never the password.
void audit_failed_sign_in(ServiceState& state, const std::string& name, const std::optional<UserRecord>& user,
                          const std::string& address, const std::string& reason) {
  AuditRecord record;
  if (user) record.user_id = user->id;
  record.user_name = name;
  record.action = "sign_in_failed";
  record.detail = "POST /api/v1/session from " + address + ": " + reason;
  append_audit(state, record);
}

Response throttled_429(const auth::SignInThrottle::Attempt& attempt) {
  using Refusal = auth::SignInThrottle::Refusal;
  const std::string why = attempt.refused == Refusal::account ? "too many failed sign-ins for this name"
                                                              : "too many failed sign-ins from this address";
  Response response = access_refused(429, AccessCode::rate_limited, why + "; retry in " +
                                                              std::to_string(attempt.retry_after_s) + " s");
  response.headers.emplace_back("Retry-After", std::to_string(attempt.retry_after_s));
  return response;
}

Response sign_in(ServiceState& state, const Request& request) {
  if (state.config.auth != auth::AuthMode::required)
    bad("authentication is off on this server: there is nothing to sign in to");
  if (!state.sessions || !state.auth_store) throw Error(ErrorCode::internal, "sign-in needs the server's data directory");
  const Credentials credentials = read_credentials(request);
  // Before the password is looked at: a refused attempt tells nothing about it.
  const auto attempt = state.sign_in_throttle.admit(credentials.name, request.remote_addr);
  if (attempt.refused != auth::SignInThrottle::Refusal::none) {
    if (attempt.first_refusal)  // one row per blocked spell, not one per request of a flood
      audit_failed_sign_in(state, credentials.name, std::nullopt, request.remote_addr,
                           attempt.refused == auth::SignInThrottle::Refusal::account
                               ? "refused (429): this name is backed off after repeated failures"
                               : "refused (429): too many failures from this address");
    return throttled_429(attempt);
  }
  const auto user = state.auth_store->find_user(credentials.name);
  const auto stored = user ? state.auth_store->password_hash(user->id) : std::nullopt;
  // The same work and the same answer whether the name is unknown, has no
  // password, or the password is wrong: the response tells no names apart.
  const bool good = stored ? auth::verify_password(credentials.password, *stored)
                           : (auth::verify_password_against_nothing(credentials.password), false);
  if (!good) {
    audit_failed_sign_in(state, credentials.name, user, request.remote_addr,
                         !user ? "unknown name" : !stored ? "the user has no password" : "wrong password");
    return refused_401("wrong name or password");
  }
  state.sign_in_throttle.succeeded(attempt);

  SessionRecord session;
  const std::string token = auth::new_session_token();
  session.token_hash = auth::session_token_hash(token);
  session.user_id = user->id;
  session.csrf_token = auth::random_hex(32);
  session = state.sessions->add_session(session, state.config.session_lifetime_s);
  audit_session(state, session, "sign_in", "POST /api/v1/session from " + request.remote_addr);
  Response response = session_json(session);
  response.headers.emplace_back("Set-Cookie", cookie(state, token, state.config.session_lifetime_s));
  return response;
}

Response get_session(ServiceState& state, const Request& request) {
  try {
    return session_json(session_or_401(state, session_token_of(request)));
  } catch (AccessRefusal& refusal) {
    return std::move(refusal.response);
  }
}

Response sign_out(ServiceState& state, const Request& request) {
  try {
    const std::string token = session_token_of(request);
    const SessionRecord session = session_or_401(state, token);
    if (!request.csrf_token || !auth::hashes_equal(*request.csrf_token, session.csrf_token))
      return access_refused(403, request.csrf_token ? AccessCode::csrf_token_invalid : AccessCode::csrf_token_missing,
                            "signing out needs the session's X-CSRF-Token header");
    state.sessions->delete_session(session.token_hash);
    audit_session(state, session, "sign_out", "DELETE /api/v1/session");
    Response response = Response::json(200, {{"signed_out", true}});
    response.headers.emplace_back("Set-Cookie", cookie(state, "", 0));
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
  } catch (AccessRefusal& refusal) {
    return std::move(refusal.response);
  }
}

}  // namespace

void add_session_routes(ServiceState& state, HandlerMap& handlers) {
  handlers["signIn"] = [&state](const Request& r) { return sign_in(state, r); };
  handlers["getSession"] = [&state](const Request& r) { return get_session(state, r); };
  handlers["signOut"] = [&state](const Request& r) { return sign_out(state, r); };
}

}  // namespace soundlens::http
