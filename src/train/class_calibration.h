#pragma once
// `soundlens calibrate`: per-class Platt scaling of a model's logits, fitted on
// a user's labelled folder (the clip probabilities `evaluate` measures), with
// the calibration error before and after on held-out files.
#include "model/calibration_file.h"
#include "train/evaluation.h"

namespace soundlens {

struct ClassCalibrationReport {
  CalibrationFile file;
  Metrics before, after;  // after: each fold calibrated on the other folds only
  int folds = 0;
};

// Error(bad_request) for a trained model (its own head is calibrated by train),
// or a class without positive or negative files.
ClassCalibrationReport calibrate_classes(const EvaluationReport& evaluated, const Analyzer& analyzer,
                                         const LabelledFolder& folder, const std::string& folder_name);

}  // namespace soundlens
