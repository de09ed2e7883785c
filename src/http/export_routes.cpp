// GET /api/v1/analyses/{id}/events.csv, /raven.txt, /labels.txt: the stored
// events in the formats other tools open, as downloads.
#include "analysis_events/analysis_events.h"
#include "core/error.h"
#include "exports/exports.h"
#include "http/routes.h"

namespace soundlens::http {
namespace {

using Writer = std::string (*)(std::span<const Event>);

Response download(ServiceState& state, const Request& request, Writer write, const std::string& content_type,
                  const std::string& suffix) {
  const StoredAnalysis stored = state.stored_or_404(request);
  const auto result = nlohmann::json::parse(stored.result_json, nullptr, false);
  if (result.is_discarded()) throw Error(ErrorCode::internal, "the stored result of " + stored.id + " is not JSON");
  Response response = Response::bytes(content_type, write(events_from_json(result)));
  response.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + stored.id + suffix + "\"");
  return response;
}

}  // namespace

void add_export_routes(ServiceState& state, HandlerMap& handlers) {
  handlers["getEventsCsv"] = [&state](const Request& r) {
    return download(state, r, write_events_csv, "text/csv; charset=utf-8", ".events.csv");
  };
  handlers["getRavenTable"] = [&state](const Request& r) {
    return download(state, r, write_raven, "text/plain; charset=utf-8", ".raven.txt");
  };
  handlers["getAudacityLabels"] = [&state](const Request& r) {
    return download(state, r, write_audacity, "text/plain; charset=utf-8", ".labels.txt");
  };
}

}  // namespace soundlens::http
