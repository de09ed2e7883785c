#pragma once
// Runs tools/reference/explain_reference.py on the same log-mel input as the C++ side.
#include <string>
#include <vector>

#include "explain/cam_grid.h"
#include "features/mel_spectrogram.h"

namespace soundlens::test {

struct ExplainReference {
  std::vector<float> logits;
  std::vector<std::vector<std::vector<double>>> grids;  // per target: rows (lowest first) x cols, raw
  std::vector<double> completeness;                     // integrated gradients only
};

// model: "efficientat" or "cnn14"; dir: a scratch directory.
ExplainReference run_explain_reference(const std::string& method, const std::string& model,
                                       const std::string& checkpoint, const MelSpectrogram& mel,
                                       const std::vector<ExplainTarget>& targets, const std::string& dir,
                                       int steps = 32, int max_steps = 256);

// Largest |cpp - ref| after dividing both by the reference grid's maximum;
// fails the test when the shapes differ.
double normalised_difference(const CamGrid& cpp, const std::vector<std::vector<double>>& ref);

}  // namespace soundlens::test
