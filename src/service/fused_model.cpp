#include "service/fused_model.h"

#include "analysis_events/fused_analysis.h"
#include "model/model_registry.h"

namespace soundlens::service {

nlohmann::json fused_model_facts_json(const std::vector<std::string>& search_path, bool loaded,
                                      const std::string& default_model) {
  const std::string name(kFusedModelName);
  std::vector<ModelAvailability> parts;
  for (const auto& part : fused_model_parts()) parts.push_back(find_model(part, search_path));
  const auto joined = [&](auto field) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p.info.name + ": " + field(p.info);
    return out;
  };
  bool available = true;
  for (const auto& p : parts) available = available && p.found.has_value();
  std::vector<std::string> names;
  for (const auto& p : parts) names.push_back(p.info.name);
  return {{"name", name},
          {"architecture", "fusion of " + names[0] + " and " + names[1] +
                               ": each window through each network once; per class the higher of the two "
                               "probabilities (which model gave it is said), each model's own map, events from "
                               "both models' frame evidence"},
          {"num_classes", 527},
          {"classes", "527 AudioSet classes (those " + names[1] + " has no output for come from " + names[0] + ")"},
          {"front_end", joined([](const ModelInfo& i) { return i.front_end; })},
          {"audioset_map", nullptr},
          {"published_map",
           {{"value", nullptr},
            {"metric", "mAP"},
            {"dataset", "AudioSet evaluation set"},
            {"text", "none published (a fusion made here; its events are measured in docs/events-measured.md)"}}},
          {"cam_layer", joined([](const ModelInfo& i) { return i.cam_layer; })},
          {"weights_file", parts[0].info.weights_file + " + " + parts[1].info.weights_file},
          {"weights_sha256", nullptr},
          {"weights_url", joined([](const ModelInfo& i) { return i.weights_url; })},
          {"license", joined([](const ModelInfo& i) { return i.license; })},
          {"source", joined([](const ModelInfo& i) { return i.source; })},
          {"available", available},
          {"loaded", loaded},
          {"default", default_model == name},
          {"parts", names}};
}

}  // namespace soundlens::service
