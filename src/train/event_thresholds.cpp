#include "train/event_thresholds.h"

#include <algorithm>
#include <cmath>

namespace soundlens {
namespace {

// Thresholds tried: 0.10, 0.15, ..., 0.90 (as tools/events/calibrate.py's grid for the AudioSet models).
constexpr int kSteps = 17;
double candidate(int i) { return 0.10 + 0.05 * i; }

}  // namespace

std::vector<EventThreshold> fit_event_thresholds(const TrainedHead& head, const Calibration& calibration,
                                                 const HeldOutWindows& held_out) {
  const int classes = head.classes();
  // Each file's strongest window per class, as the written model reports it.
  std::vector<std::vector<float>> strongest;
  for (const auto& windows : held_out.scores) {
    std::vector<float> best(std::size_t(classes), 0.0f);
    for (const auto& scores : windows) {
      const auto p = calibrated_probabilities(head, scores, calibration);
      for (int c = 0; c < classes; ++c) best[std::size_t(c)] = std::max(best[std::size_t(c)], p[std::size_t(c)]);
    }
    strongest.push_back(std::move(best));
  }
  std::vector<EventThreshold> out;
  for (int c = 0; c < classes; ++c) {
    std::vector<double> f1(kSteps, 0.0);
    for (int i = 0; i < kSteps; ++i) {
      int tp = 0, fp = 0, fn = 0;
      for (std::size_t f = 0; f < strongest.size(); ++f) {
        const auto& truth = held_out.truth[f];
        const bool is = std::find(truth.begin(), truth.end(), c) != truth.end();
        const bool said = strongest[f][std::size_t(c)] >= candidate(i);
        tp += is && said, fp += !is && said, fn += is && !said;
      }
      f1[std::size_t(i)] = tp == 0 ? 0.0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }
    // The middle of the best run of thresholds: the one farthest from where F1 starts to fall.
    const double best = *std::max_element(f1.begin(), f1.end());
    int first = 0;
    while (f1[std::size_t(first)] < best - 1e-12) ++first;
    int last = first;
    while (last + 1 < kSteps && f1[std::size_t(last + 1)] >= best - 1e-12) ++last;
    const double t = std::round(candidate((first + last) / 2) * 100) / 100;
    out.push_back({c, t, t / 2, best});
  }
  return out;
}

}  // namespace soundlens
