#pragma once
// How a recording's predictions hold up when it is changed as clinical audio
// is changed in practice (perturbations.h): each class's clip probability on
// the recording as it is and on every perturbed copy, and one sentence per
// class. Only the network's forward pass runs on each copy.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/analysis.h"
#include "robustness/perturbations.h"

namespace soundlens {

struct RobustnessOptions {
  std::vector<int> classes;  // empty: the recording's top class
  AnalysisOptions windows;   // window_s, hop_s, limits
  std::uint64_t seed = 1;
};

struct RobustnessRow {
  Perturbation perturbation;
  std::vector<float> probability;  // per class, as RobustnessResult::classes
};

struct RobustnessResult {
  std::vector<int> classes;
  std::vector<std::string> labels;
  std::vector<float> clean;         // per class, on the recording as it is
  std::vector<RobustnessRow> rows;  // the perturbations that applied
  std::vector<std::string> skipped; // the ones that did not, and why
  std::vector<std::string> sentences;  // per class
  double elapsed_ms = 0;
};

RobustnessResult robustness(const Analyzer& analyzer, const Audio& audio, const RobustnessOptions& options);

// {classes, as_recorded, changes: [{family, condition, level, probability}], skipped, sentences, elapsed_ms}:
// what `soundlens robustness --json` prints and GET /api/v1/analyses/{id}/robustness answers.
nlohmann::json robustness_to_json(const RobustnessResult& result);

// The longest recording the service measures (every change is a pass over all of it).
inline constexpr double kServedRobustnessMaxS = 120;

// "Cough (0.91) stays above 0.5 down to 10 dB SNR in every noise, ...": one class's summary.
std::string robustness_sentence(const RobustnessResult& result, std::size_t class_position);

}  // namespace soundlens
