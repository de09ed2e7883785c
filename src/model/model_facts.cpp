#include "model/model_facts.h"

namespace soundlens {

nlohmann::json model_facts_json(const ModelInfo& info, const ModelAvailability& availability) {
  nlohmann::json model = {{"name", info.name},
                          {"architecture", info.architecture},
                          {"num_classes", info.network_classes},
                          {"classes", info.classes},
                          {"front_end", info.front_end},
                          {"audioset_map", info.audioset_map},
                          {"published_map", {{"value", info.audioset_map},
                                             {"metric", info.map_metric},
                                             {"dataset", info.map_dataset},
                                             {"text", published_map_text(info)}}},
                          {"cam_layer", info.cam_layer},
                          {"weights_file", info.weights_file},
                          {"weights_sha256", info.weights_sha256.empty() ? nlohmann::json(nullptr)
                                                                          : nlohmann::json(info.weights_sha256)},
                          {"weights_url", info.weights_url},
                          {"license", info.license},
                          {"source", info.source},
                          {"available", availability.found.has_value()},
                          {"default", info.name == default_model_name()}};
  if (!info.weights_md5.empty()) model["weights_md5"] = info.weights_md5;
  return model;
}

}  // namespace soundlens
