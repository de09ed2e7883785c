#pragma once
// A model whose class logits are recalibrated per class, logit' = a * logit + b
// (Platt scaling fitted by `soundlens calibrate` on a user's labelled data).
// Every stage reads the calibrated probabilities: predictions, timeline,
// events; the maps explain the calibrated logit (for a > 0, the same map).
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/model.h"

namespace soundlens {

struct ClassCalibration {
  int index = 0;  // the model's class
  double a = 1, b = 0;
};

// Error(bad_request) for an index outside the model's classes or a slope that is not positive.
// `description` is added to the model's architecture (e.g. "calibrated on ward-sounds: 3 classes");
// `summary` is what an analysis made with it reports (calibration_file.h's calibration_summary).
std::shared_ptr<const Model> make_calibrated_model(std::shared_ptr<const Model> base,
                                                   const std::vector<ClassCalibration>& classes,
                                                   const std::string& description, nlohmann::json summary = {});

// The uncalibrated model under a calibrated one; nullptr for any other.
const Model* calibrated_base(const Model& model);
std::shared_ptr<const Model> uncalibrated_model(const Model& model);
const std::vector<ClassCalibration>* calibration_of(const Model& model);
// The summary given to make_calibrated_model; nullptr for a model that is not calibrated or has none.
const nlohmann::json* calibration_summary_of(const Model& model);

}  // namespace soundlens
