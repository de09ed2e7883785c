// GET /api/v1/analyses/{id}/events.csv, /raven.txt, /labels.txt: the stored
// events in the formats other tools open, as downloads; /report.pdf: the PDF
// report, made from the stored analysis and audio (cached).
#include <algorithm>
#include <cctype>

#include "analysis_events/analysis_events.h"
#include "analysis_events/report_input.h"
#include "core/error.h"
#include "exports/exports.h"
#include "http/api/cached_result.h"
#include "http/api/review_json.h"
#include "http/api/routes.h"
#include "http/server/content_disposition.h"
#include "service/stored_json.h"
#include "model/file_sha256.h"

namespace soundlens::http {
namespace {

using Writer = std::string (*)(std::span<const Event>, std::span<const EventReview>);

// The exports carry each event's review: its status, and the corrected class and times.
Response download(ServiceState& state, const Request& request, Writer write, const std::string& content_type,
                  const std::string& suffix) {
  const StoredAnalysis stored = state.stored_or_404(request);
  const auto result = nlohmann::json::parse(stored.result_json, nullptr, false);
  if (result.is_discarded()) throw Error(ErrorCode::internal, "the stored result of " + stored.id + " is not JSON");
  const auto events = events_from_json(result);
  const auto reviews = event_reviews(state.store->reviews(stored.id), events.size());
  Response response = Response::bytes(content_type, write(events, reviews));
  response.headers.emplace_back("Content-Disposition",
                                attachment_disposition(download_name(stored.filename, suffix, stored.id)));
  return response;
}

// The cache key of a report: the reviews change it (each review has its own time, so a key naming
// the latest review and how many there are changes with every review).
std::string report_key(const std::vector<EventReviewRecord>& reviews) {
  if (reviews.empty()) return "report.pdf";
  std::string latest;
  for (const auto& r : reviews) latest = std::max(latest, r.reviewed_at);
  std::string key = "report-" + std::to_string(reviews.size()) + "-";
  for (char c : latest)
    if (std::isdigit(static_cast<unsigned char>(c))) key += c;
  return key + ".pdf";
}

Response report_pdf(ServiceState& state, const Request& request) {
  const StoredAnalysis stored = state.stored_or_404(request);
  const auto reviews = state.store->reviews(stored.id);
  const Compute report = [&](const Analyzer& analyzer, const Audio& audio) {
    auto result = nlohmann::json::parse(stored.result_json, nullptr, false);
    if (result.is_discarded()) throw Error(ErrorCode::internal, "the stored result of " + stored.id + " is not JSON");
    // Once reviewed, the reviewed table and counts; before, the same report as the CLI's.
    if (!reviews.empty()) add_reviews(result, reviews, stored_event_options(stored).detect.window_high);
    const auto path = state.store->audio_path(stored.id);  // decoded just now: it is there
    if (!path) throw Error(ErrorCode::not_found, "no analysis with id '" + stored.id + "'");
    ReportFacts facts{stored.filename, file_sha256(*path), stored.created_at,
                      report_parameters(stored_options(stored, state.config.limits), stored_event_options(stored))};
    const auto pdf = AnalysisReport(result, audio, analyzer, std::move(facts)).pdf();
    return std::string(pdf.begin(), pdf.end());
  };
  Response response =
      Response::bytes("application/pdf", cached_or_computed(state, stored, request, report_key(reviews), report));
  response.headers.emplace_back("Content-Disposition",
                                attachment_disposition(download_name(stored.filename, ".report.pdf", stored.id)));
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
  handlers["getReportPdf"] = [&state](const Request& r) { return report_pdf(state, r); };
}

}  // namespace soundlens::http
