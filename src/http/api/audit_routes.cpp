// GET /api/v1/audit: the audit log, newest first (admins only: the route
// table says so and access.cpp enforces it).
#include "http/api/request_params.h"
#include "http/api/routes.h"

namespace soundlens::http {
namespace {

Response list_audit(ServiceState& state, const Request& request) {
  const long limit = integer_param(request, "limit");
  const long offset = integer_param(request, "offset");
  AuditPage page;
  if (state.auth_store) page = state.auth_store->list_audit(int(limit), offset);
  auto items = nlohmann::json::array();
  for (const auto& r : page.items) {
    items.push_back({{"seq", r.seq},
                     {"at", r.at},
                     {"user_id", r.user_id ? nlohmann::json(*r.user_id) : nlohmann::json(nullptr)},
                     {"user", r.user_name},
                     {"key_id", r.key_id},
                     {"action", r.action},
                     {"analysis_id", r.analysis_id},
                     {"route", r.detail}});
  }
  return Response::json(200, {{"items", items}, {"total", page.total}, {"limit", limit}, {"offset", offset}});
}

}  // namespace

void add_audit_routes(ServiceState& state, HandlerMap& handlers) {
  handlers["listAudit"] = [&state](const Request& r) { return list_audit(state, r); };
}

}  // namespace soundlens::http
