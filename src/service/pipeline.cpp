#include "service/pipeline.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <limits>

#include "analysis/analysis_json.h"
#include "analysis_events/fused_analysis.h"
#include "audio/wav_writer.h"
#include "core/error.h"
#include "model/calibrated_model.h"
#include "privacy/speech_classes.h"
#include "service/audio_content_type.h"
#include "service/stored_json.h"

namespace soundlens::service {

AnalysisPipeline::AnalysisPipeline(PipelineSettings settings, std::shared_ptr<AnalysisStore> store)
    : settings_(std::move(settings)),
      store_(std::move(store)),
      models_(settings_.model_name, settings_.model_search_path) {}

AnalysisPlan AnalysisPipeline::plan(const Analyzer& analyzer, const AnalysisRequest& request) const {
  const PromisedPrivacy& promised = request.privacy;
  std::optional<RedactionOptions> redact = settings_.redact ? settings_.redact : promised.redact;
  if (settings_.redact && promised.redact) redact->threshold = std::min(redact->threshold, promised.redact->threshold);
  AnalysisPlan plan{request.options, request.events, settings_.store_audio && promised.store_audio, redact};
  plan.options.limits = settings_.limits;
  ask_for_event_classes(plan.options, analyzer, plan.events);
  if (plan.redact && !analyzer.model().info().class_names.empty())
    throw Error(ErrorCode::bad_request, "this server silences speech before storing (--redact-speech), which needs an AudioSet "
                                        "model's speech classes; " + analyzer.model().info().name +
                                        " is a trained model of its own classes");
  if (plan.redact) plan.speech_classes = speech_classes(analyzer);
  plan.fused_second = models_.second_part(request.model);
  if (const auto* calibration = calibration_summary_of(analyzer.model())) plan.calibration = *calibration;
  return plan;
}

AnalysisRequest AnalysisPipeline::promise(AnalysisRequest request) const {
  request.privacy = {settings_.store_audio, settings_.redact};
  return request;
}

Audio AnalysisPipeline::decode_upload(std::string_view bytes) const {
  if (bytes.empty()) throw Error(ErrorCode::empty_audio, "the uploaded file is empty");
  if (bytes.size() > settings_.max_upload_bytes)
    throw Error(ErrorCode::too_large,
                "upload larger than the limit of " + std::to_string(settings_.max_upload_bytes >> 20) + " MB");
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  return decode_memory({data, bytes.size()}, DecodeOptions{.max_duration_s = settings_.max_duration_s});
}

AnalysedUpload analyse_audio(const Analyzer& analyzer, const Audio& audio, double decode_ms, const AnalysisPlan& plan) {
  AnalysedUpload out;
  std::optional<Audio> redacted;
  double redaction_ms = 0;
  if (plan.redact) {
    const auto t0 = std::chrono::steady_clock::now();
    // Silenced and checked (redact_speech): speech still heard after its passes is refused, never stored.
    auto done = redact_speech(analyzer, audio, plan.speech_classes, *plan.redact);
    // The fused model: its first part (mn04_as) finds, silences and checks the speech; yamnet's fixed
    // 0.975 s patches do not take the redaction's windows.
    out.redaction = std::move(done.redaction);
    redacted = std::move(done.audio);
    if (plan.store_audio) out.redacted_wav = encode_wav_pcm16(redacted->samples, redacted->sample_rate);
    redaction_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  }
  const Audio& kept = redacted ? *redacted : audio;
  if (plan.fused_second) {
    auto fused = fused_analyze({&analyzer, plan.fused_second.get()}, kept, plan.options, plan.events);
    out.analysis = std::move(fused.analysis);
    out.events = std::move(fused.events);
  } else {
    out.analysis = analyzer.analyze(kept, plan.options);
    out.events = analysis_events(analyzer, kept, out.analysis, plan.options, plan.events);
  }
  out.analysis.timings_ms["decode"] = decode_ms;
  if (redacted) out.analysis.timings_ms["redaction"] = redaction_ms;
  if (!plan.store_audio) out.viewer = viewer_cache(analyzer, kept, out.analysis);
  return out;
}

void AnalysisPipeline::remove_analysis(const std::string& id) const { store_->remove(id); }

StoredResult AnalysisPipeline::store_analysis(const AnalysedUpload& analysed, const AnalysisPlan& plan,
                                              const std::string& filename, std::string_view upload,
                                              std::optional<std::int64_t> owner, const std::string& job_id) const {
  NewAnalysis record;
  record.filename = display_filename(filename);
  // Redacted: the silenced audio is stored (as WAV), never the upload.
  record.content_type = analysed.redaction ? "audio/wav" : audio_content_type(analysed.analysis.audio.container);
  if (analysed.redaction)
    upload = {reinterpret_cast<const char*>(analysed.redacted_wav.data()), analysed.redacted_wav.size()};
  record.model = analysed.analysis.model;
  nlohmann::json parameters = options_json(plan.options, plan.events);
  if (!job_id.empty()) parameters["job_id"] = job_id;
  record.parameters_json = parameters.dump();
  nlohmann::json result = analysis_to_json(analysed.analysis);
  add_events_json(result, analysed.events);
  if (!plan.store_audio) result["audio_stored"] = false;
  if (!plan.calibration.is_null()) result["calibration"] = plan.calibration;
  if (analysed.redaction) result["redaction"] = redaction_json(*analysed.redaction);
  record.result_json = result.dump();
  add_summary(record, result);
  record.owner = owner;
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(upload.data());
  // Without store_audio the upload never reaches the disk (empty: no audio file).
  const std::size_t kept_bytes = plan.store_audio ? upload.size() : 0;
  StoredAnalysis stored = store_->insert(record, {bytes, kept_bytes});
  try {
    for (const auto& [key, value] : analysed.viewer)
      store_->write_cache(stored.id, key, {reinterpret_cast<const std::uint8_t*>(value.data()), value.size()});
  } catch (...) {
    store_->remove(stored.id);  // an analysis without its figures and no audio to redraw them: none at all
    throw;
  }
  return {std::move(stored), std::move(result)};
}

namespace {
struct SpanDecoded {};  // thrown from the sink once the span is read
}  // namespace

Audio AnalysisPipeline::decode_stored(const StoredAnalysis& stored) const {
  return decode_stored_span(stored, 0, std::numeric_limits<double>::infinity());
}

Audio AnalysisPipeline::decode_stored_span(const StoredAnalysis& stored, double start_s, double end_s) const {
  require_stored_audio(stored);
  const auto path = store_->audio_path(stored.id);
  if (!path) throw Error(ErrorCode::not_found, "no analysis with id '" + stored.id + "'");
  // It was accepted under the limit in force then; do not reject it now.
  const DecodeOptions options{.max_duration_s = 1e9};
  try {
    if (start_s <= 0 && std::isinf(end_s)) return decode_file(*path, options);
    Audio audio;
    audio.sample_rate = options.target_rate;
    const auto at = [&](double s) { return s <= 0 ? 0.0 : std::floor(s * options.target_rate); };
    const double from = at(start_s), to = std::isinf(end_s) ? end_s : at(end_s);
    double total = 0;
    try {
      audio.source = decode_file_stream(*path, [&](std::span<const float> block) {
        const double a = std::clamp(total, from, to), b = std::clamp(total + double(block.size()), from, to);
        if (b > a)
          audio.samples.insert(audio.samples.end(), block.begin() + std::ptrdiff_t(a - total),
                               block.begin() + std::ptrdiff_t(b - total));
        total += double(block.size());
        if (total >= to) throw SpanDecoded{};
      }, options);
    } catch (const SpanDecoded&) {
    }
    return audio;
  } catch (const Error& e) {
    // Deleted meanwhile: say so. Either way without naming a server path (the decoder's message has it).
    if (!std::filesystem::exists(*path)) throw Error(ErrorCode::not_found, "no analysis with id '" + stored.id + "'");
    std::cerr << "stored audio of analysis " << stored.id << " cannot be decoded: " << e.what() << "\n";
    throw Error(ErrorCode::internal, "the stored audio of analysis '" + stored.id + "' cannot be decoded");
  }
}

std::vector<int> AnalysisPipeline::speech_classes(const Analyzer& analyzer) const {
  std::lock_guard lock(speech_mutex_);
  auto found = speech_classes_.find(&analyzer);
  if (found == speech_classes_.end())
    found = speech_classes_.emplace(&analyzer, soundlens::speech_classes(analyzer.labels(), settings_.model_search_path))
                .first;
  return found->second;
}

void require_stored_audio(const StoredAnalysis& stored) {
  // An upload is never empty: no bytes means it was not kept.
  if (stored.audio_bytes > 0) return;
  throw Error(ErrorCode::gone, "this server does not keep recordings (--store-audio no): the audio of analysis '" +
                                   stored.id + "' was not stored, so what needs it (audio, explanations not computed "
                                   "at upload, spectrogram spans, the report) cannot be made; the results, the "
                                   "figures of the top classes and the overview spectrogram remain");
}

}  // namespace soundlens::service
