// POST/GET/DELETE /api/v1/analyses[/{id}]
#include <chrono>

#include "analysis/analysis_json.h"
#include "analysis_events/analysis_events.h"
#include "core/error.h"
#include "http/api/route_table.h"
#include "http/api/compare_routes.h"
#include "http/api/disk_budget.h"
#include "http/api/explain_budget.h"
#include "http/api/form_fields.h"
#include "http/api/history_params.h"
#include "http/api/job_routes.h"
#include "http/api/request_params.h"
#include "http/api/review_json.h"
#include "http/api/routes.h"
#include "http/api/upload_request.h"
#include "service/stored_json.h"

namespace soundlens::http {
namespace {

// A stored analysis as the API shows it: with its events' reviews and the counts after review.
nlohmann::json reviewed_analysis_json(ServiceState& state, const StoredAnalysis& stored) {
  nlohmann::json out = stored_analysis_json(stored);
  add_reviews(out, state.store->reviews(stored.id), stored_event_options(stored).detect.window_high);
  return out;
}

Response create_analysis(ServiceState& state, const Request& request) {
  // Refused as a batch refuses them: a field that is not declared (a misspelt option) and a second file.
  if (declared_form_files(request, route_spec("createAnalysis")).size() > 1)
    throw Error(ErrorCode::bad_request,
                "more than one field 'file': POST /api/v1/analyses takes one recording (several: POST /api/v1/batches)");
  if (request.param("models")) return create_comparison(state, request);
  const auto analyzer = state.analyzer(request.param("model"));
  const service::AnalysisRequest asked = analysis_request(request);
  const service::AnalysisPlan plan = state.pipeline->plan(*analyzer, asked);
  const UploadedPart& file = uploaded_file(request);
  if (wants_async(request)) return submit_analysis_job(state, request);
  check_disk_budget(state.config, state.config.store_audio ? file.content.size() : 0);

  service::AnalysedUpload analysed;
  AudioCharge charge;
  {
    auto ticket = state.gate.enter();
    const auto t0 = std::chrono::steady_clock::now();
    const Audio audio = state.decode_upload(file.content);
    // Charged before it is analysed, with its decoded length (given back if it fails): uploads sent
    // at the same moment cannot all pass on a budget that holds only some of them.
    charge = charge_audio_s(state, request, audio.duration_s());
    // Long recordings, and explanations beyond --explain-budget-s, run as jobs (followed, cancellable; the
    // decoded audio is dropped; the job decodes the stored upload). Without jobs, the latter are refused.
    // The fused model's parts each explain: either past the budget makes it costly.
    const auto over_budget = [&](const Analyzer& a) { return !within_explain_budget(state, a, audio.duration_s(), plan.options); };
    const bool costly = over_budget(*analyzer) || (plan.fused_second && over_budget(*plan.fused_second));
    if (state.jobs && (audio.duration_s() > state.config.async_over_s || costly))
      return submit_analysis_job(state, request, charge, audio.duration_s());
    if (costly) {
      check_explain_budget(state, *analyzer, audio.duration_s(), plan.options);
      if (plan.fused_second) check_explain_budget(state, *plan.fused_second, audio.duration_s(), plan.options);
    }
    const double decode_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    analysed = service::analyse_audio(*analyzer, audio, decode_ms, plan);
  }
  const auto owner = request.caller ? std::optional(request.caller->user_id) : std::nullopt;
  auto [stored, result] = state.pipeline->store_analysis(analysed, plan, file.filename, file.content, owner);
  charge.keep(analysed.analysis.duration_s);
  nlohmann::json created = stored_analysis_json(stored, std::move(result));
  add_reviews(created, {}, plan.events.detect.window_high);  // every event unreviewed, in the same shape as GET
  Response response = Response::json(201, std::move(created));
  response.headers.emplace_back("Location", "/api/v1/analyses/" + stored.id);
  response.analysis_id = stored.id;
  return response;
}

Response list_analyses(ServiceState& state, const Request& request) {
  long limit = integer_param(request, "limit");
  long offset = integer_param(request, "offset");
  if (request.param("page") || request.param("per_page")) {
    limit = given_integer(request, "per_page").value_or(limit);
    offset = (integer_param(request, "page") - 1) * limit;
  }
  AnalysisFilter filter = history_filter(request);
  // Members list only their own; admins (and everyone with authentication off) all.
  if (request.caller && request.caller->role != auth::Role::admin) filter.owner = request.caller->user_id;
  const AnalysisPage page = state.store->list(int(limit), offset, filter);  // limit <= 500; offset < 2^40
  auto items = nlohmann::json::array();
  for (const auto& stored : page.items) items.push_back(stored_summary_json(stored));
  return Response::json(200, {{"items", items}, {"total", page.total}, {"limit", limit}, {"offset", offset}});
}

Response get_analysis(ServiceState& state, const Request& request) {
  return Response::json(200, reviewed_analysis_json(state, state.stored_or_404(request)));
}

Response update_analysis(ServiceState& state, const Request& request) {
  const std::string id = state.stored_or_404(request).id;  // another user's: 404 as if unknown
  const std::string type = request.content_type.substr(0, request.content_type.find(';'));
  if (type != "application/json")
    throw Error(ErrorCode::bad_request, "send the changes as application/json (got Content-Type " +
                                            quoted_value(request.content_type) + ")");
  const auto updated = state.store->update_notes(id, analysis_notes(request.body));
  if (!updated) throw Error(ErrorCode::not_found, "no analysis with id '" + id + "'");
  return Response::json(200, reviewed_analysis_json(state, *updated));
}

Response delete_analysis(ServiceState& state, const Request& request) {
  const std::string id = state.stored_or_404(request).id;  // another user's: 404 as if unknown
  if (!state.store->remove(id)) throw Error(ErrorCode::not_found, "no analysis with id '" + id + "'");
  return Response::json(200, {{"id", id}, {"deleted", true}});
}

}  // namespace

void add_analysis_routes(ServiceState& state, HandlerMap& handlers) {
  handlers["createAnalysis"] = [&state](const Request& r) { return create_analysis(state, r); };
  handlers["listAnalyses"] = [&state](const Request& r) { return list_analyses(state, r); };
  handlers["getAnalysis"] = [&state](const Request& r) { return get_analysis(state, r); };
  handlers["updateAnalysis"] = [&state](const Request& r) { return update_analysis(state, r); };
  handlers["deleteAnalysis"] = [&state](const Request& r) { return delete_analysis(state, r); };
}

}  // namespace soundlens::http
