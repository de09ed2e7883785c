#pragma once
// The `fused` model's entry in the model lists (GET /api/v1/models and
// `soundlens models`): what it is made of, whether both parts' weights are
// here, its facts in the shape of every other model's (model/model_facts.h)
// plus "parts". It has no weights and no published mAP of its own.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace soundlens::service {

// `loaded`: whether both parts are loaded (the caller's model set knows); `default_model`: the process's default.
nlohmann::json fused_model_facts_json(const std::vector<std::string>& search_path, bool loaded,
                                      const std::string& default_model);

}  // namespace soundlens::service
