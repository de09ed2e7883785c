#pragma once
// A trained model's per-class event thresholds, fitted on the held-out folds
// of its cross-validation: for each class, the window probability (as the
// written model reports it, calibrated or not) from which an event is placed,
// chosen where "the file's strongest window reaches it" best separates the
// held-out files of the class from the others (F1). The AudioSet models' tables
// (data/thresholds/) are fitted the same way on placed events; a trained model
// has labels per file only, so its files are the unit.
#include <vector>

#include "model/trained_head.h"
#include "train/calibration.h"

namespace soundlens {

struct HeldOutWindows {
  std::vector<std::vector<std::vector<float>>> scores;  // per file, per window: the held-out head's raw scores
  std::vector<std::vector<int>> truth;                  // per file: its classes (empty: the negative class)
};

// One per class of `head` (shape: how scores map to probabilities), low = half the threshold, as the
// AudioSet tables have it; train_f1 is the held-out F1 at the chosen threshold.
std::vector<EventThreshold> fit_event_thresholds(const TrainedHead& head, const Calibration& calibration,
                                                 const HeldOutWindows& held_out);

}  // namespace soundlens
