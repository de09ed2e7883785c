#pragma once
// An upload's analysis from its settings to its stored record, for the
// synchronous upload and for jobs alike, so that both run and store the same
// way. Internal to http.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "analysis_events/analysis_events.h"
#include "http/audio_free.h"
#include "http/service_state.h"
#include "privacy/speech_redaction.h"

namespace soundlens::http {

// Uploaded names are shown back to people, never used as paths.
std::string display_filename(const std::string& name);

// What an upload asks for: the analysis options (with the operator's limits)
// and the event options, the event classes already asked of the analysis.
struct UploadSettings {
  AnalysisOptions options;
  AnalysisEventOptions events;
  bool store_audio = true;  // the server's --store-audio
  std::optional<RedactionOptions> redact;  // the server's --redact-speech
  std::vector<int> speech_classes;         // with redact
};
UploadSettings upload_settings(const ServiceState& state, const Analyzer& analyzer, const Request& request);

struct AnalysedUpload {
  Analysis analysis;
  AnalysisEvents events;
  ViewerCache viewer;  // without store_audio: what the viewer needs, kept instead of the audio
  // With redact: what was silenced, and the silenced audio as 16-bit WAV
  // (what is analysed and stored instead of the upload).
  std::optional<SpeechRedaction> redaction;
  std::vector<std::uint8_t> redacted_wav;
};
// The analysis of decoded audio and its events; decode_ms goes into the timings.
// With settings.redact the speech is silenced first and the analysis, its
// events and figures are of the silenced audio (what is stored).
AnalysedUpload analyse_audio(const Analyzer& analyzer, const Audio& audio, double decode_ms,
                             const UploadSettings& settings);

// The analysis of an upload's bytes and its events, read as a stream (the
// decoded recording never held whole) when the settings allow it (no
// faithfulness or sanity: they need it whole), else decoded whole. The same
// limits and errors as ServiceState::decode_upload.
AnalysedUpload analyse_upload(const ServiceState& state, const Analyzer& analyzer, std::string_view bytes,
                              const UploadSettings& settings);

struct StoredResult {
  StoredAnalysis stored;
  nlohmann::json result;  // the analysis JSON as stored (without id, filename, created_at)
};

// Stores the analysis with its upload (without store_audio: with its viewer
// cache instead, and "audio_stored": false in the result), owned by `owner` (nullopt: made with
// authentication off). A job's id goes into the stored parameters
// ("job_id"): the job store finds it there after a crash.
StoredResult store_analysis(ServiceState& state, const AnalysedUpload& analysed, const UploadSettings& settings,
                            const std::string& filename, std::string_view upload,
                            std::optional<std::int64_t> owner, const std::string& job_id = "");

}  // namespace soundlens::http
