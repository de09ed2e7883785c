#include "http/service_state.h"

#include <filesystem>
#include <iostream>

#include "core/error.h"

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

}  // namespace soundlens::http
