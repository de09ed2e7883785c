// GET /api/v1/analyses/{id}/events.csv, /raven.txt, /labels.txt: the stored
// events in the formats other tools open, as downloads (the report: report_route.cpp).
#include "core/error.h"
#include "exports/exports.h"
#include "http/api/review_json.h"
#include "http/api/routes.h"
#include "http/server/content_disposition.h"
#include "service/stored_json.h"

namespace soundlens::http {
namespace {

using Writer = std::string (*)(std::span<const Event>, std::span<const EventReview>);

// The exports carry each event's review: its status, and the corrected class and times.
Response download(ServiceState& state, const Request& request, Writer write, const std::string& content_type,
                  const std::string& suffix) {
  const StoredAnalysis stored = state.stored_or_404(request);
  const auto events = service::stored_events(stored);
  const auto reviews = event_reviews(state.store->reviews(stored.id), events.size());
  Response response = Response::bytes(content_type, write(events, reviews));
  response.headers.emplace_back("Content-Disposition",
                                attachment_disposition(download_name(stored.filename, suffix, stored.id)));
  return response;
}

}  // namespace

void add_export_routes(ServiceState& state, HandlerMap& handlers) {
  handlers["getEventsCsv"] = [&state](const Request& r) {
    return download(state, r, &write_events_csv, "text/csv; charset=utf-8", ".events.csv");
  };
  handlers["getRavenTable"] = [&state](const Request& r) {
    return download(state, r, write_raven, "text/plain; charset=utf-8", ".raven.txt");
  };
  handlers["getAudacityLabels"] = [&state](const Request& r) {
    return download(state, r, write_audacity, "text/plain; charset=utf-8", ".labels.txt");
  };
}

}  // namespace soundlens::http
