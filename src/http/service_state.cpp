#include "http/service_state.h"

#include <filesystem>
#include <iostream>

#include "core/error.h"
#include "privacy/speech_classes.h"

namespace soundlens::http {

std::shared_ptr<const Analyzer> ServiceState::analyzer() const { return models.get(""); }

bool ServiceState::model_ready() const { return models.default_ready(); }

void ServiceState::set_analyzer(std::shared_ptr<const Analyzer> analyzer) { models.set_default(std::move(analyzer)); }

std::shared_ptr<const Analyzer> ServiceState::analyzer(const std::optional<std::string>& requested) const {
  return models.get(requested.value_or(""));
}

std::shared_ptr<const Analyzer> ServiceState::analyzer_of(const StoredAnalysis& stored) const {
  return models.get(stored.model);
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
  return stored_or_404(request, request.path_params.at("id"));
}

StoredAnalysis ServiceState::stored_or_404(const Request& request, const std::string& id) const {
  auto stored = store->get(id);
  const bool visible = stored && (!request.caller || auth::may_see(*request.caller, stored->owner ? &*stored->owner
                                                                                                  : nullptr));
  if (!visible) throw Error(ErrorCode::not_found, "no analysis with id " + quoted_value(id));
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
  std::lock_guard lock(speech_mutex_);
  auto found = speech_classes_.find(&analyzer);
  if (found == speech_classes_.end())
    found = speech_classes_.emplace(&analyzer, soundlens::speech_classes(analyzer.labels(), config.model_search_path)).first;
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

}  // namespace soundlens::http
