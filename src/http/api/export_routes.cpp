// GET /api/v1/analyses/{id}/events.csv, /raven.txt, /labels.txt: the stored
// events in the formats other tools open, as downloads; /report.pdf: the PDF
// report, made from the stored analysis and audio (cached).
#include "analysis_events/analysis_events.h"
#include "analysis_events/report_input.h"
#include "core/error.h"
#include "exports/exports.h"
#include "http/api/cached_result.h"
#include "http/api/routes.h"
#include "http/server/content_disposition.h"
#include "service/stored_json.h"
#include "model/file_sha256.h"

namespace soundlens::http {
namespace {

using Writer = std::string (*)(std::span<const Event>);

Response download(ServiceState& state, const Request& request, Writer write, const std::string& content_type,
                  const std::string& suffix) {
  const StoredAnalysis stored = state.stored_or_404(request);
  const auto result = nlohmann::json::parse(stored.result_json, nullptr, false);
  if (result.is_discarded()) throw Error(ErrorCode::internal, "the stored result of " + stored.id + " is not JSON");
  Response response = Response::bytes(content_type, write(events_from_json(result)));
  response.headers.emplace_back("Content-Disposition",
                                attachment_disposition(download_name(stored.filename, suffix, stored.id)));
  return response;
}

Response report_pdf(ServiceState& state, const Request& request) {
  const StoredAnalysis stored = state.stored_or_404(request);
  const Compute report = [&](const Analyzer& analyzer, const Audio& audio) {
    const auto result = nlohmann::json::parse(stored.result_json, nullptr, false);
    if (result.is_discarded()) throw Error(ErrorCode::internal, "the stored result of " + stored.id + " is not JSON");
    const auto path = state.store->audio_path(stored.id);  // decoded just now: it is there
    if (!path) throw Error(ErrorCode::not_found, "no analysis with id '" + stored.id + "'");
    ReportFacts facts{stored.filename, file_sha256(*path), stored.created_at,
                      report_parameters(stored_options(stored, state.config.limits), stored_event_options(stored))};
    const auto pdf = AnalysisReport(result, audio, analyzer, std::move(facts)).pdf();
    return std::string(pdf.begin(), pdf.end());
  };
  Response response =
      Response::bytes("application/pdf", cached_or_computed(state, stored, request, "report.pdf", report));
  response.headers.emplace_back("Content-Disposition",
                                attachment_disposition(download_name(stored.filename, ".report.pdf", stored.id)));
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
  handlers["getReportPdf"] = [&state](const Request& r) { return report_pdf(state, r); };
}

}  // namespace soundlens::http
