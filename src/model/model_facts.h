#pragma once
// A known model's facts as JSON, as GET /api/v1/models, `soundlens models` and
// the Python package show them: name, architecture, classes, front end, the
// published mAP, the weights file and where to get it, and whether it was found.
#include <nlohmann/json.hpp>

#include "model/model_registry.h"

namespace soundlens {

nlohmann::json model_facts_json(const ModelInfo& info, const ModelAvailability& availability);

}  // namespace soundlens
