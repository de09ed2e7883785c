#pragma once
// An upload from its bytes to its stored analysis, for the synchronous upload,
// a comparison and a job alike, so that all run and store the same way: the
// request resolved against the operator's settings (AnalysisPlan), the
// analysis of the decoded audio or of a stream of the bytes, and the stored
// record. Also the models this process runs, and decoding a stored analysis'
// audio again. No HTTP here: the callers translate their requests.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/analysis.h"
#include "analysis_events/analysis_events.h"
#include "privacy/speech_redaction.h"
#include "service/analysis_request.h"
#include "service/audio_free.h"
#include "service/model_set.h"
#include "storage/analysis_store.h"

namespace soundlens::service {

// The operator's settings (flags of `serve` and `worker`), the same for every request.
struct PipelineSettings {
  std::string model_name;  // the default model
  std::vector<std::string> model_search_path;
  double max_duration_s = 3600;
  std::size_t max_upload_bytes = 100u << 20;
  AnalysisLimits limits;  // windows and time one analysis may take
  // Privacy: without store_audio the upload is never written (only results,
  // figures and the overview spectrogram); with redact the speech is silenced
  // before the audio is analysed and stored.
  bool store_audio = true;
  std::optional<RedactionOptions> redact;
};

// A request resolved against the settings: the options with the operator's
// limits and the event classes asked of the analysis, and the privacy choices.
struct AnalysisPlan {
  AnalysisOptions options;
  AnalysisEventOptions events;
  bool store_audio = true;
  std::optional<RedactionOptions> redact;
  std::vector<int> speech_classes;  // with redact
  // The fused model (request.model "fused"): the analyzer given to plan() is
  // its first part, this its second; both run (fused_analysis.h).
  std::shared_ptr<const Analyzer> fused_second;
  // A calibrated model (serve --calibration): what the stored analysis says of it (calibration_summary); else null.
  nlohmann::json calibration;
};

struct AnalysedUpload {
  Analysis analysis;
  AnalysisEvents events;
  ViewerCache viewer;  // without store_audio: what the viewer needs, kept instead of the audio
  // With redact: what was silenced, and the silenced audio as 16-bit WAV
  // (what is analysed and stored instead of the upload).
  std::optional<SpeechRedaction> redaction;
  std::vector<std::uint8_t> redacted_wav;
};

struct StoredResult {
  StoredAnalysis stored;
  nlohmann::json result;  // the analysis JSON as stored (without id, filename, created_at)
};

// Uploaded names are shown back to people, never used as paths.
std::string display_filename(const std::string& name);

// The analysis of decoded audio and its events; decode_ms goes into the timings.
// With plan.redact the speech is silenced first and the analysis, its events
// and figures are of the silenced audio (what is stored).
AnalysedUpload analyse_audio(const Analyzer& analyzer, const Audio& audio, double decode_ms, const AnalysisPlan& plan);

// Throws Error(gone) for an analysis stored without its audio (--store-audio no).
void require_stored_audio(const StoredAnalysis& stored);

class AnalysisPipeline {
 public:
  AnalysisPipeline(PipelineSettings settings, std::shared_ptr<AnalysisStore> store);

  const PipelineSettings& settings() const { return settings_; }
  ModelSet& models() { return models_; }
  const ModelSet& models() const { return models_; }

  // The model `name` names ("" = the default), loaded on first use (see ModelSet::get).
  std::shared_ptr<const Analyzer> analyzer(const std::string& name) const { return models_.get(name); }
  // The request with the operator's limits, the stricter of its promised
  // privacy and the operator's (no audio kept if either says so; redaction if
  // either asks, at the lower threshold), the event classes asked of the analysis.
  AnalysisPlan plan(const Analyzer& analyzer, const AnalysisRequest& request) const;
  // The request with this server's privacy promised (what a job stores).
  AnalysisRequest promise(AnalysisRequest request) const;

  // The upload decoded whole: Error(empty_audio), Error(too_large) past the
  // upload limit, the decoder's errors (max_duration_s).
  Audio decode_upload(std::string_view bytes) const;
  // The analysis of an upload's bytes and its events, read as a stream (the
  // decoded recording never held whole) when the plan allows it (no
  // faithfulness or sanity, no privacy option: they need it whole), else
  // decoded whole. The same limits and errors as decode_upload.
  AnalysedUpload analyse_upload(const Analyzer& analyzer, std::string_view bytes, const AnalysisPlan& plan) const;
  // Stores the analysis with its upload (without store_audio: with its viewer
  // cache instead, and "audio_stored": false in the result), owned by `owner`
  // (nullopt: made with authentication off). A job's id goes into the stored
  // parameters ("job_id"): the job store finds it there after a crash.
  StoredResult store_analysis(const AnalysedUpload& analysed, const AnalysisPlan& plan, const std::string& filename,
                              std::string_view upload, std::optional<std::int64_t> owner,
                              const std::string& job_id = "") const;

  // Removes a stored analysis with its audio and cache (a comparison's job that did not finish keeps neither).
  void remove_analysis(const std::string& id) const;
  // A stored analysis' audio decoded again; Error(gone) when it was not kept.
  Audio decode_stored(const StoredAnalysis& stored) const;
  // Only [start_s, end_s) of it, read as a stream that stops at end_s (an overnight recording is never
  // decoded whole for a few seconds of it); the same errors.
  Audio decode_stored_span(const StoredAnalysis& stored, double start_s, double end_s) const;
  // The speech classes of a model's labels (from the ontology beside them), found once per model.
  std::vector<int> speech_classes(const Analyzer& analyzer) const;

 private:
  PipelineSettings settings_;
  std::shared_ptr<AnalysisStore> store_;
  ModelSet models_;
  mutable std::mutex speech_mutex_;
  mutable std::map<const Analyzer*, std::vector<int>> speech_classes_;
};

}  // namespace soundlens::service
