#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "train/calibration.h"
#include "train/metrics.h"

namespace soundlens {
namespace {

TrainedHead shape(bool multi_label, bool negative, int scores) {
  TrainedHead h;
  h.multi_label = multi_label;
  h.negative_class = negative;
  h.layers.push_back({1, scores, std::vector<float>(std::size_t(scores), 0.0f), std::vector<float>(std::size_t(scores), 0.0f)});
  return h;
}

// Scores three times too confident: the truth is drawn from softmax(s / 3).
TEST(CalibrationTest, TemperatureUndoesOverconfidenceAndKeepsPredictions) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> noise(0, 1);
  std::uniform_real_distribution<double> u(0, 1);
  CalibrationData d;
  for (int i = 0; i < 4000; ++i) {
    std::vector<float> s{float(3 * noise(rng)), float(3 * noise(rng)), float(3 * noise(rng))};
    double z = 0;
    for (float v : s) z += std::exp(v / 3.0);
    double r = u(rng) * z;
    int truth = 0;
    for (; truth < 2; ++truth)
      if ((r -= std::exp(s[std::size_t(truth)] / 3.0)) < 0) break;
    d.scores.push_back(s);
    d.truth.push_back({truth});
  }
  const auto head = shape(false, false, 3);
  const auto c = fit_calibration(head, d);
  EXPECT_NEAR(c.temperature, 3.0, 0.3);
  std::vector<ScoredFile> raw, calibrated;
  for (std::size_t i = 0; i < d.scores.size(); ++i) {
    raw.push_back({d.truth[i], calibrated_probabilities(head, d.scores[i], {})});
    calibrated.push_back({d.truth[i], calibrated_probabilities(head, d.scores[i], c)});
    EXPECT_EQ(predicted_class(raw.back().probabilities, false), predicted_class(calibrated.back().probabilities, false));
  }
  const std::vector<std::string> labels{"x", "y", "z"};
  const double before = score_files(raw, labels, false, false).ece, after = score_files(calibrated, labels, false, false).ece;
  EXPECT_GT(before, 0.1);
  EXPECT_LT(after, 0.04);
}

// A class whose true probability is sigmoid(0.5 s - 1): Platt finds a = 0.5, b = -1.
TEST(CalibrationTest, PlattRecoversAKnownSlopeAndOffset) {
  std::mt19937_64 rng(11);
  std::normal_distribution<double> noise(0, 3);
  std::uniform_real_distribution<double> u(0, 1);
  CalibrationData d;
  for (int i = 0; i < 20000; ++i) {
    const double s = noise(rng);
    d.scores.push_back({float(s)});
    d.truth.push_back(u(rng) < 1 / (1 + std::exp(-(0.5 * s - 1))) ? std::vector<int>{0} : std::vector<int>{});
  }
  const auto c = fit_calibration(shape(true, false, 1), d);
  ASSERT_EQ(c.a.size(), 1u);
  EXPECT_NEAR(c.a[0], 0.5, 0.05);
  EXPECT_NEAR(c.b[0], -1.0, 0.08);
}

// With a negative class, a class's probability is its softmax share and the rest is the negative class's.
TEST(CalibrationTest, SingleLabelLogitsGiveSoftmaxProbabilitiesThroughASigmoid) {
  const auto head = shape(false, true, 3);
  const std::vector<float> scores{2.0f, 0.5f, 1.0f};
  const auto p = calibrated_probabilities(head, scores, {});
  ASSERT_EQ(p.size(), 2u);
  const double z = std::exp(2.0) + std::exp(0.5) + std::exp(1.0);
  EXPECT_NEAR(p[0], std::exp(2.0) / z, 1e-6);
  EXPECT_NEAR(p[1], std::exp(0.5) / z, 1e-6);
}

}  // namespace
}  // namespace soundlens
