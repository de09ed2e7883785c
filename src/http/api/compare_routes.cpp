#include "http/api/compare_routes.h"

#include <chrono>
#include <filesystem>

#include "compare/compare_json.h"
#include "compare/compare_run.h"
#include "compare/compare_stored.h"
#include "core/error.h"
#include "http/api/access.h"
#include "http/api/audio_budget.h"
#include "http/api/upload_request.h"
#include "http/api/disk_budget.h"
#include "http/api/job_routes.h"
#include "http/api/request_params.h"
#include "http/api/review_json.h"
#include "http/api/routes.h"
#include "service/stored_json.h"
#include "model/calibrated_model.h"
#include "model/file_sha256.h"

namespace soundlens::http {
namespace {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

[[noreturn]] void bad_models(const std::string& text, const std::string& why) {
  throw Error(ErrorCode::bad_request, "invalid value " + quoted_value(text) + " for parameter models: " + why);
}

// Two stored analyses are of the same recording when their stored audio is
// the same bytes (or, with the audio not kept, the same name and length).
bool same_recording(const ServiceState& state, const StoredAnalysis& a, const StoredAnalysis& b) {
  const auto pa = state.store->audio_path(a.id), pb = state.store->audio_path(b.id);
  if (pa && pb && std::filesystem::exists(*pa) && std::filesystem::exists(*pb))
    return a.audio_bytes == b.audio_bytes && file_sha256(*pa) == file_sha256(*pb);
  return a.filename == b.filename && a.duration_s && b.duration_s && std::abs(*a.duration_s - *b.duration_s) < 1e-6;
}

nlohmann::json parse_result(const StoredAnalysis& stored) {
  auto result = nlohmann::json::parse(stored.result_json, nullptr, false);
  if (result.is_discarded()) throw Error(ErrorCode::internal, "the stored result of " + stored.id + " is not JSON");
  return result;
}

// GET /api/v1/compare?a=ID&b=ID: the same answer as the upload with models=,
// computed from the stored JSON (no model runs).
Response get_comparison(ServiceState& state, const Request& request) {
  const auto a = request.param("a"), b = request.param("b");
  if (!a || !b || a->empty() || b->empty())
    throw Error(ErrorCode::bad_request, "give a and b: the ids of two stored analyses of one recording");
  const StoredAnalysis first = state.stored_or_404(request, *a),
                       second = state.stored_or_404(request, *b);
  if (first.model == second.model)
    throw Error(ErrorCode::bad_request, "analyses " + first.id + " and " + second.id + " are both by model " +
                                            quoted_value(first.model) + ": a comparison needs two different models");
  if (!same_recording(state, first, second))
    throw Error(ErrorCode::bad_request,
                "analyses " + first.id + " and " + second.id + " are not of the same recording");
  const nlohmann::json ra = parse_result(first), rb = parse_result(second);
  const Comparison comparison = compare_stored(ra, rb);
  nlohmann::json results = nlohmann::json::object();
  // Each as GET /api/v1/analyses/{id} gives it: with its events' reviews and the counts after review.
  results[first.model] = stored_analysis_json(first, ra);
  add_reviews(results[first.model], state.store->reviews(first.id), stored_event_options(first).detect.window_high);
  results[second.model] = stored_analysis_json(second, rb);
  add_reviews(results[second.model], state.store->reviews(second.id), stored_event_options(second).detect.window_high);
  return Response::json(200, {{"models", {first.model, second.model}},
                              {"results", std::move(results)},
                              {"agreement", agreement_to_json(comparison)}});
}

}  // namespace

std::vector<std::string> compared_models(const std::string& text, const service::ModelSet& models) {
  std::vector<std::string> names;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = text.find(',', start);
    const std::string name = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (name.empty()) bad_models(text, "a model name is empty (give two names separated by a comma, e.g. mn04_as,yamnet)");
    if (std::find(names.begin(), names.end(), name) != names.end())
      bad_models(text, "model " + quoted_value(name) + " is named twice");
    names.push_back(name);
    if (names.size() > std::size_t(max_compared_models))
      bad_models(text, "at most " + std::to_string(max_compared_models) + " models are compared");
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (names.size() < 2) bad_models(text, "a comparison needs two different models, e.g. mn04_as,yamnet");
  for (const auto& name : names) {
    try {
      models.check_known(name);
    } catch (const Error& e) {
      bad_models(text, e.what());
    }
  }
  return names;
}

namespace {

// The comparison as one job (service/job_work.h): both models in turn on the stored upload, with progress.
Response comparison_job(ServiceState& state, const Request& request, service::AnalysisRequest asked,
                        const std::vector<std::string>& names, AudioCharge& charge, double seconds) {
  if (!state.jobs) throw Error(ErrorCode::bad_request, "this server runs no jobs (it has no data directory)");
  asked.model.clear();
  asked.models = names;
  asked.options.top_k = std::max(asked.options.top_k, CompareOptions{}.top);  // as run_compare runs them
  check_disk_budget(state.config, 2 * uploaded_file(request).content.size());  // stored once per model
  return submit_analysis_job(state, request, asked, charge, seconds);
}

}  // namespace

Response create_comparison(ServiceState& state, const Request& request) {
  if (const auto model = request.param("model"); model && !model->empty())
    throw Error(ErrorCode::bad_request, "give either model (one analysis) or models (a comparison), not both");
  const auto names = compared_models(request.param("models").value_or(""), state.pipeline->models());
  const bool async = wants_async(request);
  // The privacy options act on what one analysis stores; a comparison stores the upload for both.
  if (!state.config.store_audio || state.config.redact_speech)
    throw Error(ErrorCode::bad_request,
                "comparing models (models=) is not available on this server, which " +
                    std::string(state.config.redact_speech ? "silences speech before storing (--redact-speech)"
                                                           : "does not keep recordings (--store-audio no)") +
                    ": analyse the recording with each model on its own (model=)");
  const auto first = state.analyzer(names[0]);
  const auto second = state.analyzer(names[1]);
  // As run_compare runs them: its own event classes, no privacy option (refused above).
  const service::AnalysisRequest asked = analysis_request(request);
  service::AnalysisPlan settings{asked.options, asked.events};
  settings.options.limits = state.config.limits;
  const UploadedPart& file = uploaded_file(request);
  const CompareOptions compare;
  const auto owner = request.caller ? std::optional(request.caller->user_id) : std::nullopt;
  if (async) {
    if (!state.jobs) throw Error(ErrorCode::bad_request, "this server runs no jobs (it has no data directory)");
    // Charged now with the length the container states, as an analysis job is.
    const double seconds = audio_budget_applies(state, request) ? upload_duration_s(state, file.content) : 0;
    AudioCharge charge = charge_audio_s(state, request, seconds);
    return comparison_job(state, request, asked, names, charge, seconds);
  }

  check_disk_budget(state.config, 2 * file.content.size());  // stored once per model
  CompareRun run;
  AudioCharge charge;
  double decode_ms = 0, total_ms = 0;
  {
    auto ticket = state.gate.enter();
    const auto t0 = Clock::now();
    const Audio audio = state.decode_upload(file.content);
    charge = charge_audio_s(state, request, audio.duration_s());  // before the work; back if it fails
    // Longer than the server compares at once: a job with progress (the decoded audio is dropped; the job
    // decodes the stored upload once per model, as a stream).
    if (state.jobs && audio.duration_s() > state.config.async_over_s)
      return comparison_job(state, request, asked, names, charge, audio.duration_s());
    decode_ms = ms_since(t0);
    const auto first_second = state.pipeline->models().second_part(names[0]);
    const auto second_second = state.pipeline->models().second_part(names[1]);
    run = run_compare(ComparedModel{first.get(), first_second.get()}, ComparedModel{second.get(), second_second.get()},
                      audio, settings.options, compare, settings.events);
    total_ms = ms_since(t0);
  }
  nlohmann::json out = compare_run_to_json(run);
  service::AnalysisPlan stored_settings = settings;
  stored_settings.options.top_k = std::max(settings.options.top_k, compare.top);  // as run_compare ran them
  const double audio_seconds = run.runs.empty() ? 0 : run.runs.front().analysis.duration_s;
  std::vector<std::string> stored_ids;
  try {
    for (std::size_t i = 0; i < run.runs.size(); ++i) {
      auto& r = run.runs[i];
      // A calibrated default (serve --calibration) says so in its stored analysis, as an upload's does.
      const auto* calibration = calibration_summary_of((i == 0 ? first : second)->model());
      stored_settings.calibration = calibration ? *calibration : nlohmann::json();
      r.analysis.timings_ms["decode"] = decode_ms;  // decoded once, for both
      const service::AnalysedUpload analysed{std::move(r.analysis), std::move(r.events)};
      auto [stored, result] =
          state.pipeline->store_analysis(analysed, stored_settings, file.filename, file.content, owner);
      stored_ids.push_back(stored.id);
      out["results"][r.model] = stored_analysis_json(stored, std::move(result));
      add_reviews(out["results"][r.model], {}, settings.events.detect.window_high);  // new: every event unreviewed, in the shape GET gives
    }
  } catch (...) {
    for (const auto& id : stored_ids) state.store->remove(id);  // all or nothing
    throw;
  }
  charge.keep(audio_seconds);
  out["timings_ms"] = {{"decode", std::round(decode_ms * 100) / 100},
                       {"compare", std::round(run.compare_ms * 100) / 100},
                       {"total", std::round(total_ms * 100) / 100}};
  Response response = Response::json(201, out);
  response.analysis_id = stored_ids.empty() ? "" : stored_ids.front();  // audited with the route
  for (std::size_t i = 1; i < stored_ids.size(); ++i) {
    AuditRecord record{.action = "create", .analysis_id = stored_ids[i], .detail = "POST /api/v1/analyses (models=)"};
    if (request.caller) {
      record.user_id = request.caller->user_id;
      record.user_name = request.caller->user_name;
      record.key_id = request.caller->key_id;
    }
    append_audit(state, record);
  }
  return response;
}

void add_compare_routes(ServiceState& state, HandlerMap& handlers) {
  handlers["getComparison"] = [&state](const Request& r) { return get_comparison(state, r); };
}

}  // namespace soundlens::http
