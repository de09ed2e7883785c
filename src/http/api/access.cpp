#include "http/api/access.h"

#include "auth/keys.h"
#include "auth/session_token.h"
#include "service/audit.h"

namespace soundlens::http {
namespace {

using Refusal = AccessRefusal;

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool starts_with_bearer(std::string_view value) {
  if (value.size() < 7) return false;
  static constexpr std::string_view scheme = "bearer ";
  for (std::size_t i = 0; i < scheme.size(); ++i)
    if (char(std::tolower(static_cast<unsigned char>(value[i]))) != scheme[i]) return false;
  return true;
}

Refusal unauthorized(const std::string& message) {
  Response response = access_refused(401, AccessCode::unauthorized, message);
  response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"soundlens\"");
  return {std::move(response)};
}

// The caller a request's Authorization header proves, or the 401 to answer.
auth::Caller authenticate(ServiceState& state, const std::optional<std::string>& header) {
  if (!header)
    throw unauthorized("this server requires an API key (send Authorization: Bearer KEY) or signing in on the web "
                       "(POST /api/v1/session)");
  const std::string_view value = trim(*header);
  if (!starts_with_bearer(value)) throw unauthorized("the Authorization header must be: Bearer KEY");
  const auto parts = auth::parse_key(trim(value.substr(7)));
  if (!parts) throw unauthorized("the API key is not valid");
  const auto key = state.auth_store->find_key(parts->id);
  // Hash even for an unknown id, so that timing does not tell ids apart.
  const std::string hash = auth::hash_secret(state.config.install_secret, parts->secret);
  if (!key || !auth::hashes_equal(hash, key->hash)) throw unauthorized("the API key is not valid");
  if (key->revoked_at) throw unauthorized("the API key was revoked");
  if (key->expired) throw unauthorized("the API key has expired");
  return {key->user_id, key->user_name, auth::parse_role(key->role), auth::parse_scope(key->scope), key->id};
}

// The caller a session cookie proves, or the 401 to answer; writes need the
// session's CSRF token in X-CSRF-Token (403 otherwise): a cookie is sent by
// the browser on its own, a header only by the page that read the token.
auth::Caller authenticate_session(ServiceState& state, const RouteSpec& route, const Request& request,
                                  const std::string& token) {
  const SessionRecord session = session_or_401(state, token);
  if (route.writes) {
    if (!request.csrf_token)
      throw Refusal{access_refused(403, AccessCode::csrf_token_missing,
                                   "a write signed in by cookie needs the X-CSRF-Token header (the csrf_token of "
                                   "POST or GET /api/v1/session)")};
    if (!auth::hashes_equal(trim(*request.csrf_token), session.csrf_token))
      throw Refusal{access_refused(403, AccessCode::csrf_token_invalid, "the X-CSRF-Token header does not match this session")};
  }
  return {session.user_id, session.user_name, auth::parse_role(session.role), auth::Scope::write,
          session_key_id(session)};
}

// The one way a request is authenticated: a Bearer key wins over a cookie (it is no ambient
// credential, so it needs no CSRF token); then what the caller may do. Needs only the request's
// headers, so the gate runs it before the body is read, and the route again with the body.
auth::Caller authenticated_caller(ServiceState& state, const RouteSpec& route, const Request& request) {
  const std::string session_token = request.authorization ? "" : session_token_of(request);
  auth::Caller caller = session_token.empty() ? authenticate(state, request.authorization)
                                              : authenticate_session(state, route, request, session_token);
  if (route.writes && caller.scope != auth::Scope::write)
    throw Refusal{access_refused(403, AccessCode::forbidden, "this API key is read-only; this route needs a write key")};
  if (route.admin_only && caller.role != auth::Role::admin)
    throw Refusal{access_refused(403, AccessCode::forbidden, "only admins may use this route")};
  return caller;
}

// Counts the request against the caller's rate limit: once per request, with its body.
void admit_rate(ServiceState& state, const RouteSpec& route, const auth::Caller& caller) {
  if (const int retry_after = state.rate_limiter.admit(caller.key_id, route.analyses_audio); retry_after > 0) {
    Response response = access_refused(429, AccessCode::rate_limited,
                                       "this API key's rate limit is reached (--rate-limit-rpm requests, or "
                                       "--rate-limit-audio-s seconds of audio, per minute); retry in " +
                                           std::to_string(retry_after) + " s");
    response.headers.emplace_back("Retry-After", std::to_string(retry_after));
    throw Refusal{std::move(response)};
  }
}

void audit(ServiceState& state, const RouteSpec& route, const Request& request, const Response& response) {
  if (route.audit_action.empty() || !state.auth_store || response.status >= 300) return;
  AuditRecord record;
  if (request.caller) {
    record.user_id = request.caller->user_id;
    record.user_name = request.caller->user_name;
    record.key_id = request.caller->key_id;
  }
  record.action = route.audit_action;
  record.analysis_id = response.analysis_id.empty() && request.path_params.contains("id")
                           ? request.path_params.at("id")
                           : response.analysis_id;
  record.detail = route.method + " " + route.path;
  if (record.analysis_id.empty()) return;  // a job: its analysis is audited when the job stores it
  append_audit(state, record);
}

}  // namespace

std::optional<Response> check_access_early(ServiceState& state, const RouteSpec& route, const Request& head) {
  if (!route.needs_key || state.config.auth != auth::AuthMode::required) return std::nullopt;
  try {
    authenticated_caller(state, route, head);
  } catch (Refusal& refusal) {
    return std::move(refusal.response);
  }
  return std::nullopt;
}

std::string session_token_of(const Request& request) {
  return request.cookie.empty() ? "" : auth::cookie_value(request.cookie, auth::session_cookie_name);
}

SessionRecord session_or_401(ServiceState& state, const std::string& token) {
  if (token.empty() || !state.sessions) throw unauthorized("not signed in");
  const auto session = state.sessions->find_session(auth::session_token_hash(token));
  if (!session) throw unauthorized("not signed in: the session is unknown or was ended; sign in again");
  if (session->expired) throw unauthorized("the session has expired; sign in again");
  return *session;
}

std::string session_key_id(const SessionRecord& session) { return "session:" + session.token_hash.substr(0, 16); }

void append_audit(ServiceState& state, const AuditRecord& record) {
  service::append_audit(state.auth_store.get(), record);
}

std::string_view access_code_name(AccessCode code) {
  switch (code) {
    case AccessCode::unauthorized: return "unauthorized";
    case AccessCode::forbidden: return "forbidden";
    case AccessCode::rate_limited: return "rate_limited";
    case AccessCode::csrf_token_missing: return "csrf_token_missing";
    case AccessCode::csrf_token_invalid: return "csrf_token_invalid";
  }
  return "forbidden";
}

Response access_refused(int status, AccessCode code, const std::string& message) {
  return Response::json(status, {{"error", {{"code", access_code_name(code)}, {"message", message}, {"status", status}}}});
}

Response call_with_access(ServiceState& state, const RouteSpec& route, const Handler& handler, const Request& request) {
  if (!route.needs_key || state.config.auth != auth::AuthMode::required) {
    Response response = handler(request);
    audit(state, route, request, response);
    return response;
  }
  Request authenticated = request;
  try {
    authenticated.caller = authenticated_caller(state, route, request);
    if (!route.counts_own_requests) admit_rate(state, route, *authenticated.caller);
  } catch (Refusal& refusal) {
    return std::move(refusal.response);
  }
  Response response = handler(authenticated);
  audit(state, route, authenticated, response);
  return response;
}

}  // namespace soundlens::http
