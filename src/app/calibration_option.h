#pragma once
// --calibration CALIBRATION (made by soundlens calibrate), declared once for
// analyze, serve and worker, and read for a served model: checked before
// anything starts, so a file for another model, other weights, or one that
// was edited stops the server with the reason.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/parameters.h"
#include "model/calibration_file.h"
#include "model/model.h"

namespace soundlens {

Parameter calibration_parameter();

// The calibration at `path` ("" = none) for the model `model_name` of the search path, checked against the
// model's weights file and labels without loading it. Error(bad_request) naming the file and the reason.
std::optional<CalibrationFile> served_calibration(const std::string& path, const std::string& model_name,
                                                  const std::vector<std::string>& search_path, const Labels& labels);

}  // namespace soundlens
