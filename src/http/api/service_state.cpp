#include "http/api/service_state.h"

#include <algorithm>

#include "analysis_events/fused_analysis.h"
#include "core/error.h"

namespace soundlens::http {

std::shared_ptr<const Analyzer> ServiceState::analyzer() const { return pipeline->analyzer(""); }

bool ServiceState::model_ready() const { return pipeline->models().default_ready(); }

void ServiceState::set_analyzer(std::shared_ptr<const Analyzer> analyzer) {
  pipeline->models().set_default(std::move(analyzer));
}

std::shared_ptr<const Analyzer> ServiceState::analyzer(const std::optional<std::string>& requested) const {
  return pipeline->analyzer(requested.value_or(""));
}

std::shared_ptr<const Analyzer> ServiceState::analyzer_of(const StoredAnalysis& stored) const {
  // Only a calibrated analysis has the key: the others are not parsed (an hour's JSON is megabytes).
  nlohmann::json calibration;
  if (stored.result_json.find("\"calibration\"") != std::string::npos) {
    const auto result = nlohmann::json::parse(stored.result_json, nullptr, false);
    if (!result.is_discarded()) calibration = result.value("calibration", nlohmann::json());
  }
  return pipeline->models().as_stored(stored.model, calibration);
}

std::string ServiceState::map_model(const StoredAnalysis& stored, const std::optional<std::string>& requested) const {
  const bool fused = is_fused_model(stored.model);
  const auto& parts = fused_model_parts();
  if (!requested || requested->empty()) return fused ? parts.front() : "";
  if (fused) {
    if (std::find(parts.begin(), parts.end(), *requested) != parts.end()) return *requested;
    throw Error(ErrorCode::bad_request, "model " + quoted_value(*requested) + ": the maps of this fused analysis are " +
                                            parts[0] + "'s or " + parts[1] + "'s");
  }
  if (*requested == stored.model) return "";
  throw Error(ErrorCode::bad_request, "model " + quoted_value(*requested) + ": this analysis was made by " +
                                          stored.model + ", whose maps are the only ones it has");
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

service::PipelineSettings pipeline_settings(const ServiceConfig& config) {
  service::PipelineSettings settings{config.model_name,   config.model_search_path, config.max_duration_s,
                                     config.max_upload_bytes, config.limits,         config.store_audio};
  if (config.redact_speech) settings.redact = RedactionOptions{.threshold = config.redact_speech_threshold};
  return settings;
}

}  // namespace soundlens::http
