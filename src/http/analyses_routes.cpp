// POST/GET/DELETE /api/v1/analyses[/{id}]
#include <algorithm>
#include <chrono>

#include "analysis/analysis_json.h"
#include "analysis_events/analysis_events.h"
#include "audio/wav_writer.h"
#include "core/error.h"
#include "http/analysis_record.h"
#include "http/compare_routes.h"
#include "http/content_types.h"
#include "http/disk_budget.h"
#include "http/explain_budget.h"
#include "http/form_fields.h"
#include "http/history_params.h"
#include "http/job_routes.h"
#include "http/request_params.h"
#include "http/routes.h"
#include "http/stored_json.h"

namespace soundlens::http {
namespace {

// The length of the valid UTF-8 sequence starting at text[i], or 0 if it is
// not one (stray continuation byte, overlong form, surrogate, beyond U+10FFFF, cut short).
std::size_t utf8_sequence_length(const std::string& text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  char32_t code = 0, min = 0;
  if (lead >= 0xc2 && lead <= 0xdf) length = 2, code = lead & 0x1f, min = 0x80;
  else if (lead >= 0xe0 && lead <= 0xef) length = 3, code = lead & 0x0f, min = 0x800;
  else if (lead >= 0xf0 && lead <= 0xf4) length = 4, code = lead & 0x07, min = 0x10000;
  else return 0;
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3f);
  }
  if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return 0;
  return length;
}

Response create_analysis(ServiceState& state, const Request& request) {
  // Refused as a batch refuses them: a field that is not declared (a misspelt option) and a second file.
  if (declared_form_files(request, "createAnalysis").size() > 1)
    throw Error(ErrorCode::bad_request,
                "more than one field 'file': POST /api/v1/analyses takes one recording (several: POST /api/v1/batches)");
  if (request.param("models")) return create_comparison(state, request);
  const auto analyzer = state.analyzer(request.param("model"));
  const UploadSettings settings = upload_settings(state, *analyzer, request);
  const UploadedPart& file = uploaded_file(request);
  if (wants_async(request)) return submit_analysis_job(state, request);
  check_disk_budget(state.config, state.config.store_audio ? file.content.size() : 0);

  AnalysedUpload analysed;
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
    const bool costly = !within_explain_budget(state, *analyzer, audio.duration_s(), settings.options);
    if (state.jobs && (audio.duration_s() > state.config.async_over_s || costly))
      return submit_analysis_job(state, request, charge, audio.duration_s());
    if (costly) check_explain_budget(state, *analyzer, audio.duration_s(), settings.options);
    const double decode_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    analysed = analyse_audio(*analyzer, audio, decode_ms, settings);
  }
  const auto owner = request.caller ? std::optional(request.caller->user_id) : std::nullopt;
  auto [stored, result] = store_analysis(state, analysed, settings, file.filename, file.content, owner);
  charge.keep(analysed.analysis.duration_s);
  Response response = Response::json(201, stored_analysis_json(stored, std::move(result)));
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
  return Response::json(200, stored_analysis_json(state.stored_or_404(request)));
}

Response update_analysis(ServiceState& state, const Request& request) {
  const std::string id = state.stored_or_404(request).id;  // another user's: 404 as if unknown
  const std::string type = request.content_type.substr(0, request.content_type.find(';'));
  if (type != "application/json")
    throw Error(ErrorCode::bad_request, "send the changes as application/json (got Content-Type " +
                                            quoted_value(request.content_type) + ")");
  const auto updated = state.store->update_notes(id, analysis_notes(request.body));
  if (!updated) throw Error(ErrorCode::not_found, "no analysis with id '" + id + "'");
  return Response::json(200, stored_analysis_json(*updated));
}

Response delete_analysis(ServiceState& state, const Request& request) {
  const std::string id = state.stored_or_404(request).id;  // another user's: 404 as if unknown
  if (!state.store->remove(id)) throw Error(ErrorCode::not_found, "no analysis with id '" + id + "'");
  return Response::json(200, {{"id", id}, {"deleted", true}});
}

}  // namespace

// Uploaded names are shown back to people, never used as paths: keep them
// short, printable and valid UTF-8 (the JSON they go into must be). A byte
// that is not UTF-8 (e.g. a Latin-1 name) becomes U+FFFD; the name is cut
// at a character boundary.
std::string display_filename(const std::string& name) {
  constexpr std::size_t max_bytes = 255;
  const std::string replacement = "\xEF\xBF\xBD";  // U+FFFD
  std::string out;
  for (std::size_t i = 0; i < name.size();) {
    const std::size_t length = utf8_sequence_length(name, i);
    const std::string piece = length == 0 ? replacement : name.substr(i, length);
    i += std::max<std::size_t>(length, 1);
    const auto c = static_cast<unsigned char>(piece[0]);
    if (c < 0x20 || c == 0x7f) continue;
    if (out.size() + piece.size() > max_bytes) break;
    out += piece;
  }
  return out.empty() ? "upload" : out;
}

UploadSettings upload_settings(const ServiceState& state, const Analyzer& analyzer, const Request& request) {
  UploadSettings settings{analysis_options(request, state.config.limits), event_options(request),
                          state.config.store_audio};
  ask_for_event_classes(settings.options, analyzer, settings.events);
  if (state.config.redact_speech) {
    settings.redact = RedactionOptions{.threshold = state.config.redact_speech_threshold};
    settings.speech_classes = state.speech_classes(analyzer);
  }
  return settings;
}

AnalysedUpload analyse_audio(const Analyzer& analyzer, const Audio& audio, double decode_ms,
                             const UploadSettings& settings) {
  AnalysedUpload out;
  std::optional<Audio> redacted;
  double redaction_ms = 0;
  if (settings.redact) {
    const auto t0 = std::chrono::steady_clock::now();
    // Silenced and checked (redact_speech): speech still heard after its passes is refused, never stored.
    auto done = redact_speech(analyzer, audio, settings.speech_classes, *settings.redact);
    out.redaction = std::move(done.redaction);
    redacted = std::move(done.audio);
    if (settings.store_audio) out.redacted_wav = encode_wav_pcm16(redacted->samples, redacted->sample_rate);
    redaction_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  }
  const Audio& kept = redacted ? *redacted : audio;
  out.analysis = analyzer.analyze(kept, settings.options);
  out.analysis.timings_ms["decode"] = decode_ms;
  if (redacted) out.analysis.timings_ms["redaction"] = redaction_ms;
  out.events = analysis_events(analyzer, kept, out.analysis, settings.options, settings.events);
  if (!settings.store_audio) out.viewer = viewer_cache(analyzer, kept, out.analysis);
  return out;
}

StoredResult store_analysis(ServiceState& state, const AnalysedUpload& analysed, const UploadSettings& settings,
                            const std::string& filename, std::string_view upload,
                            std::optional<std::int64_t> owner, const std::string& job_id) {
  NewAnalysis record;
  record.filename = display_filename(filename);
  // Redacted: the silenced audio is stored (as WAV), never the upload.
  record.content_type = analysed.redaction ? "audio/wav" : audio_content_type(analysed.analysis.audio.container);
  if (analysed.redaction)
    upload = {reinterpret_cast<const char*>(analysed.redacted_wav.data()), analysed.redacted_wav.size()};
  record.model = analysed.analysis.model;
  nlohmann::json parameters = options_json(settings.options, settings.events);
  if (!job_id.empty()) parameters["job_id"] = job_id;
  record.parameters_json = parameters.dump();
  nlohmann::json result = analysis_to_json(analysed.analysis);
  add_events_json(result, analysed.events);
  if (!settings.store_audio) result["audio_stored"] = false;
  if (analysed.redaction) result["redaction"] = redaction_json(*analysed.redaction);
  record.result_json = result.dump();
  add_summary(record, result);
  record.owner = owner;
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(upload.data());
  // Without store_audio the upload never reaches the disk (empty: no audio file).
  const std::size_t kept_bytes = settings.store_audio ? upload.size() : 0;
  StoredAnalysis stored = state.store->insert(record, {bytes, kept_bytes});
  try {
    for (const auto& [key, value] : analysed.viewer)
      state.store->write_cache(stored.id, key, {reinterpret_cast<const std::uint8_t*>(value.data()), value.size()});
  } catch (...) {
    state.store->remove(stored.id);  // an analysis without its figures and no audio to redraw them: none at all
    throw;
  }
  return {std::move(stored), std::move(result)};
}

void add_analysis_routes(ServiceState& state, HandlerMap& handlers) {
  handlers["createAnalysis"] = [&state](const Request& r) { return create_analysis(state, r); };
  handlers["listAnalyses"] = [&state](const Request& r) { return list_analyses(state, r); };
  handlers["getAnalysis"] = [&state](const Request& r) { return get_analysis(state, r); };
  handlers["updateAnalysis"] = [&state](const Request& r) { return update_analysis(state, r); };
  handlers["deleteAnalysis"] = [&state](const Request& r) { return delete_analysis(state, r); };
}

}  // namespace soundlens::http
