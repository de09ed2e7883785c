#pragma once
// Calibration of a trained head, fitted on scores of files it was not trained
// on (cross-validation's held-out folds):
// - single-label: temperature scaling (Guo et al. 2017), one T dividing every
//   score before the softmax. One parameter cannot overfit a few dozen files,
//   and it keeps every file's prediction (the order of its scores) unchanged.
//   Fitted against targets smoothed as Platt's are, so that held-out files
//   the head gets all right do not make it certain of everything.
// - multi-label: Platt scaling per class, a * score + b, because each class's
//   sigmoid is a decision of its own; with Platt's smoothed targets, so that a
//   class the head separates perfectly does not get an infinite slope.
#include <vector>

#include "model/trained_head.h"

namespace soundlens {

struct CalibrationData {
  std::vector<std::vector<float>> scores;  // per file: the head's raw scores
  std::vector<std::vector<int>> truth;     // per file: its classes (empty: the negative class)
};

struct Calibration {
  double temperature = 1;           // single-label
  std::vector<float> a, b;          // multi-label, per class
};

Calibration fit_calibration(const TrainedHead& head, const CalibrationData& data);
// Platt scaling of each of `classes` scores (logits) on its own: what multi-label heads and
// `soundlens calibrate` (an AudioSet model's logits) use.
Calibration fit_platt(const CalibrationData& data, int classes);
// The head with the calibration in place (what is written in its directory).
void apply_calibration(TrainedHead& head, const Calibration& calibration);
// The probabilities of one file's scores under a calibration.
std::vector<float> calibrated_probabilities(const TrainedHead& head, const std::vector<float>& scores,
                                            const Calibration& calibration);

}  // namespace soundlens
