#pragma once
// Access to every route, as the route table declares it: with authentication
// required, the API key (401), its scope and the user's role (403), the
// key's rate limit (429); then the audit log. Internal to http.
#include "http/server/http_types.h"
#include "http/api/route_table.h"
#include "http/api/service_state.h"
#include "storage/session_store.h"

namespace soundlens::http {

// Runs `handler` for `request` if the caller may; returns the refusal otherwise.
Response call_with_access(ServiceState& state, const RouteSpec& route, const Handler& handler, const Request& request);

// The same rule for a request's head alone, before its body is read (the
// gate): the key or session, CSRF, scope and role; not the rate limit, which
// counts the request once, when it is served. nullopt when it may come in.
std::optional<Response> check_access_early(ServiceState& state, const RouteSpec& route, const Request& head);

// Appends to the audit log (when there is one); a failure is logged loudly,
// never thrown: the response is already made. For what a route creates
// besides its response's analysis (a job's, the second of a comparison).
void append_audit(ServiceState& state, const AuditRecord& record);

// Each step of access either sets the caller or throws the response refusing it.
struct AccessRefusal {
  Response response;
};

// The session token in the request's soundlens_session cookie ("" = none).
std::string session_token_of(const Request& request);
// The current session of that token; throws AccessRefusal (401) when there is
// no token, no such session (never, or signed out) or it has expired.
SessionRecord session_or_401(ServiceState& state, const std::string& token);
// What stands for a session where a key id goes (rate limits, the audit log).
std::string session_key_id(const SessionRecord& session);

// The codes of the access rules' refusals, beside ErrorCode's (they come only
// from here and the session routes). csrf_token_last stays last: the codes are
// 0 to it, and /openapi.json lists them with ErrorCode's.
enum class AccessCode { unauthorized, forbidden, rate_limited, csrf_token_missing, csrf_token_invalid, csrf_token_last = csrf_token_invalid };
std::string_view access_code_name(AccessCode code);

// The JSON error shape for statuses that have no ErrorCode (401, 403, 429).
Response access_refused(int status, AccessCode code, const std::string& message);

}  // namespace soundlens::http
