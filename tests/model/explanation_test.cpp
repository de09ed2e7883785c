// The explanation follows the event: a cough placed into a quiet background
// moves the peak of the Cough map's time profile onto the cough.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "analysis/analysis.h"
#include "model/model_registry.h"
#include "test_paths.h"

namespace soundlens::test {
namespace {

constexpr int kRate = 32000;
constexpr int kCough = 47;

Audio quiet_background(double seconds) {
  Audio a;
  a.samples.resize(size_t(seconds * kRate));
  uint32_t state = 99;
  for (auto& s : a.samples) {
    state = state * 1664525u + 1013904223u;
    s = (float(state >> 8) / float(1u << 24) - 0.5f) * 0.004f;  // about -60 dBFS
  }
  return a;
}

double peak_time(const CamMap& cam) {
  int best = 0;
  float best_value = -1;
  for (int col = 0; col < cam.cols; ++col) {
    float sum = 0;
    for (int row = 0; row < cam.rows; ++row) sum += cam.at(row, col);
    if (sum > best_value) best_value = sum, best = col;
  }
  return (best + 0.5) * cam.seconds_per_column;
}

TEST(Explanation, FollowsACoughPlacedAtTwoAndAtSevenSeconds) {
  const Analyzer analyzer(load_model("mn04_as", {models_dir()}), load_labels({models_dir()}));
  const auto cough = decode_file(shared_audio("cough/063900f6-c03b-4ffb-b51b-877b6b5a74d5.flac"));
  const double cough_s = cough.duration_s();
  ASSERT_LT(cough_s, 2.0);
  AnalysisOptions options;
  options.classes = {std::to_string(kCough)};
  for (double onset : {2.0, 7.0}) {
    SCOPED_TRACE("cough at " + std::to_string(onset) + " s");
    auto mix = quiet_background(10.0);
    const size_t at = size_t(onset * kRate);
    for (size_t i = 0; i < cough.samples.size(); ++i) mix.samples[at + i] += cough.samples[i];
    const auto a = analyzer.analyze(mix, options);
    const auto e = std::find_if(a.explanations.begin(), a.explanations.end(),
                                [](const Explanation& x) { return x.target.index == kCough; });
    ASSERT_NE(e, a.explanations.end());
    // A 1.5 s cough in 10 s is diluted by the global pooling, but still well above background.
    EXPECT_GT(e->target.probability, 0.02f) << "the model should hear the cough";
    const double peak = peak_time(e->cam);
    // One cell of slack on each side: the last conv layer sees 0.32 s per cell.
    EXPECT_GE(peak, onset - e->cam.seconds_per_column);
    EXPECT_LE(peak, onset + cough_s + e->cam.seconds_per_column);
  }
}

}  // namespace
}  // namespace soundlens::test
