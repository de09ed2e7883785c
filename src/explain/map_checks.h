#pragma once
// What the checks of a map found (faithfulness.h, sanity.h compute them):
// plain values, readable by the stages that only show or store results.
#include <string>
#include <vector>

namespace soundlens {

// Deletion of the map's own cells (faithfulness.h).
struct Faithfulness {
  double score = 0;         // lerf_auc - morf_auc: higher means the map found what the model used
  double random_score = 0;  // the same for a random map with the same cells (fixed seed): chance
  double morf_auc = 0, lerf_auc = 0;  // trapezoid over the fraction removed, divided by the original probability
  std::vector<double> steps;  // fraction of cells removed: 0, 0.2 ... 1 (kFaithfulnessSteps, rounded to whole cells)
  std::vector<double> morf;   // clip probability after each step, most relevant removed first
  std::vector<double> lerf;   // the same, least relevant removed first
  double probability = 0;     // the clip probability of the explained score, nothing removed
  // The class scores under kAbsentClassProbability on the clip: the map explains a class the model does
  // not hear, so no curve is run and the scores above stay 0 (they would read as a verdict).
  bool absent_class = false;
  std::string message;        // plain words when the numbers need them (absent class, clip shorter than a cell)
};

// Under this clip probability a class counts as absent: its checks say so instead of scoring.
inline constexpr double kAbsentClassProbability = 0.05;

// The model-parameter randomisation test (sanity.h).
struct SanityCheck {
  struct Step {
    std::string randomised;  // the layer re-initialised at this step (with all above it)
    double spearman = 0;     // rank correlation of the map with the trained model's map
  };
  std::vector<Step> steps;
  bool passed = false;  // the last step's |spearman| is below 0.5
};

// Listening (listen.h, listen_search.h): the audio a map keeps and removes.
struct ListenAudio {
  std::vector<float> kept;     // the audio under the map
  std::vector<float> removed;  // the audio under 1 - map
  int sample_rate = 32000;
};

inline constexpr double kListenKeepFraction = 0.8;

// What the listening search found (listen_search.h).
struct ListenResult {
  ListenAudio audio;                // kept and removed
  double probability = 0;           // the class's clip probability on the recording
  double kept_probability = 0;      // ... on the kept audio alone (resynthesised, through the front end)
  double removed_probability = 0;   // ... on the removed audio
  double keep_fraction = kListenKeepFraction;
  double kept_fraction = 0;         // share of the spectrogram (mel bins x frames) the kept cells cover
  int kept_cells = 0, cells = 0;
  bool keeps_class = false;         // kept_probability >= keep_fraction * probability
  bool under_half = false;          // ... with at most half of the spectrogram: the map singles out what was used
  bool absent_class = false;        // probability under kAbsentClassProbability: nothing to keep
  std::string message;              // the result in plain words
  int passes = 0;                   // forward passes of the recording's windows, all variants
};

}  // namespace soundlens
