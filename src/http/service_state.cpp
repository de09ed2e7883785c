#include "http/service_state.h"

#include <filesystem>
#include <iostream>

#include "core/error.h"
#include "model/model_registry.h"
#include "privacy/speech_classes.h"

namespace soundlens::http {

std::shared_ptr<const Analyzer> ServiceState::analyzer() const {
  std::lock_guard lock(mutex_);
  if (!analyzer_) throw Error(ErrorCode::model_not_loaded, "model " + config.model_name + " is still loading");
  return analyzer_;
}

bool ServiceState::model_ready() const {
  std::lock_guard lock(mutex_);
  return analyzer_ != nullptr;
}

void ServiceState::set_analyzer(std::shared_ptr<const Analyzer> analyzer) {
  std::lock_guard lock(mutex_);
  analyzer_ = std::move(analyzer);
}

void ServiceState::check_model_param(const std::optional<std::string>& requested) const {
  if (!requested || requested->empty() || *requested == config.model_name) return;
  std::string known;
  for (const auto& info : known_models()) {
    if (info.name == *requested)
      throw Error(ErrorCode::bad_request, "model '" + *requested + "' is not loaded by this server, which serves '" +
                                              config.model_name + "' (start it with --model " + *requested + ")");
    known += (known.empty() ? "" : ", ") + info.name;
  }
  throw Error(ErrorCode::bad_request, "unknown model '" + *requested + "'; known models: " + known);
}

Audio ServiceState::decode_upload(std::string_view bytes) const {
  if (bytes.empty()) throw Error(ErrorCode::empty_audio, "the uploaded file is empty");
  if (bytes.size() > config.max_upload_bytes)
    throw Error(ErrorCode::too_large,
                "upload larger than the limit of " + std::to_string(config.max_upload_bytes >> 20) + " MB");
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  return decode_memory({data, bytes.size()}, DecodeOptions{.max_duration_s = config.max_duration_s});
}

StoredAnalysis ServiceState::stored_or_404(const Request& request) const {
  const std::string& id = request.path_params.at("id");
  auto stored = store->get(id);
  const bool visible = stored && (!request.caller || auth::may_see(*request.caller, stored->owner ? &*stored->owner
                                                                                                  : nullptr));
  if (!visible) throw Error(ErrorCode::not_found, "no analysis with id '" + id + "'");
  return *stored;
}

Audio ServiceState::decode_stored(const StoredAnalysis& stored) const {
  require_stored_audio(stored);
  const auto path = store->audio_path(stored.id);
  if (!path) throw Error(ErrorCode::not_found, "no analysis with id '" + stored.id + "'");
  try {
    // It was accepted under the limit in force then; do not reject it now.
    return decode_file(*path, DecodeOptions{.max_duration_s = 1e9});
  } catch (const Error& e) {
    // Deleted meanwhile: say so. Either way without naming a server path (the decoder's message has it).
    if (!std::filesystem::exists(*path)) throw Error(ErrorCode::not_found, "no analysis with id '" + stored.id + "'");
    std::cerr << "stored audio of analysis " << stored.id << " cannot be decoded: " << e.what() << "\n";
    throw Error(ErrorCode::internal, "the stored audio of analysis '" + stored.id + "' cannot be decoded");
  }
}

std::vector<int> ServiceState::speech_classes(const Analyzer& analyzer) const {
  std::lock_guard lock(mutex_);
  if (!speech_classes_) speech_classes_ = soundlens::speech_classes(analyzer.labels(), config.model_search_path);
  return *speech_classes_;
}

void require_stored_audio(const StoredAnalysis& stored) {
  // An upload is never empty: no bytes means it was not kept.
  if (stored.audio_bytes > 0) return;
  throw Error(ErrorCode::gone, "this server does not keep recordings (--store-audio no): the audio of analysis '" +
                                   stored.id + "' was not stored, so what needs it (audio, explanations not computed "
                                   "at upload, spectrogram spans, the report) cannot be made; the results, the "
                                   "figures of the top classes and the overview spectrogram remain");
}

}  // namespace soundlens::http
