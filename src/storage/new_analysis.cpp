#include "storage/new_analysis.h"

#include <cctype>

#include <nlohmann/json.hpp>

#include "storage/ids.h"

namespace soundlens::storage {

StoredAnalysis new_stored_analysis(const NewAnalysis& analysis, std::size_t audio_bytes) {
  StoredAnalysis stored;
  stored.id = new_id();
  stored.filename = analysis.filename;
  stored.content_type = analysis.content_type;
  stored.model = analysis.model;
  stored.created_at = utc_now_iso();
  stored.audio_bytes = std::int64_t(audio_bytes);
  stored.parameters_json = analysis.parameters_json;
  stored.result_json = analysis.result_json;
  stored.duration_s = analysis.duration_s;
  stored.predictions_json = analysis.predictions_json;
  stored.top_class = first_class(analysis.predictions_json);
  stored.owner = analysis.owner;
  return stored;
}

int first_class(const std::string& predictions_json) {
  const auto predictions = nlohmann::json::parse(predictions_json, nullptr, false);
  if (!predictions.is_array() || predictions.empty() || !predictions[0].is_object()) return -1;
  const auto index = predictions[0].find("index");
  return index != predictions[0].end() && index->is_number_integer() ? index->get<int>() : -1;
}

std::vector<std::string> labels_of(const std::string& labels_json) {
  std::vector<std::string> labels;
  const auto parsed = nlohmann::json::parse(labels_json, nullptr, false);
  if (parsed.is_array())
    for (const auto& label : parsed)
      if (label.is_string()) labels.push_back(label.get<std::string>());
  return labels;
}

std::string ascii_lower(std::string text) {
  for (auto& c : text) c = char(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace soundlens::storage
