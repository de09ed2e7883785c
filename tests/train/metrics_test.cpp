#include <gtest/gtest.h>

#include "train/metrics.h"

namespace soundlens {
namespace {

const std::vector<std::string> kLabels{"a", "b"};

TEST(MetricsTest, SingleLabelCountsByHand) {
  // truth a, a, b, none; predicted a, b, b, none (with a negative class: 1 - sum).
  const std::vector<ScoredFile> files{
      {{0}, {0.9f, 0.05f}}, {{0}, {0.3f, 0.6f}}, {{1}, {0.1f, 0.8f}}, {{}, {0.1f, 0.1f}}};
  const auto m = score_files(files, kLabels, false, true);
  ASSERT_EQ(m.classes.size(), 2u);
  EXPECT_DOUBLE_EQ(m.classes[0].precision, 1.0);
  EXPECT_DOUBLE_EQ(m.classes[0].recall, 0.5);
  EXPECT_DOUBLE_EQ(m.classes[1].precision, 0.5);
  EXPECT_DOUBLE_EQ(m.classes[1].recall, 1.0);
  EXPECT_DOUBLE_EQ(m.accuracy, 0.75);
  EXPECT_EQ(m.confusion, (std::vector<std::vector<int>>{{1, 1, 0}, {0, 1, 0}, {0, 0, 1}}));
  EXPECT_EQ(m.classes[0].support, 2);
  // a's ranking: 0.9 (a), 0.3 (a), 0.1, 0.1 -> AP 1; b's: 0.8 (b), 0.6 (a) ... -> AP 1.
  EXPECT_DOUBLE_EQ(m.classes[0].average_precision, 1.0);
  EXPECT_DOUBLE_EQ(m.classes[1].average_precision, 1.0);
}

TEST(MetricsTest, AveragePrecisionOfAnInterleavedRanking) {
  // b ranked: 0.9 (b), 0.8 (not), 0.7 (b): AP = (1/1 + 2/3) / 2.
  const std::vector<ScoredFile> files{{{1}, {0.05f, 0.9f}}, {{0}, {0.1f, 0.8f}}, {{1}, {0.2f, 0.7f}}};
  const auto m = score_files(files, kLabels, true, false);
  EXPECT_NEAR(m.classes[1].average_precision, (1.0 + 2.0 / 3) / 2, 1e-12);
}

TEST(MetricsTest, CalibrationErrorIsTheGapBetweenConfidenceAndAccuracy) {
  // Four files at confidence 0.95, half right: one bin, ECE 0.45.
  const std::vector<ScoredFile> files{
      {{0}, {0.95f, 0.05f}}, {{1}, {0.95f, 0.05f}}, {{0}, {0.95f, 0.05f}}, {{1}, {0.95f, 0.05f}}};
  const auto m = score_files(files, kLabels, false, false);
  EXPECT_NEAR(m.ece, 0.45, 1e-6);
  int used = 0;
  for (const auto& b : m.reliability) used += b.count > 0;
  EXPECT_EQ(used, 1);
  // Right exactly as often as claimed: no error.
  const std::vector<ScoredFile> honest{{{0}, {0.5f, 0.5f}}, {{1}, {0.5f, 0.5f}}};
  EXPECT_NEAR(score_files(honest, kLabels, false, false).ece, 0.0, 1e-9);
}

TEST(MetricsTest, MultiLabelUsesTheThresholdPerClass) {
  const std::vector<ScoredFile> files{{{0, 1}, {0.7f, 0.6f}}, {{}, {0.2f, 0.4f}}, {{1}, {0.6f, 0.3f}}};
  const auto m = score_files(files, kLabels, true, false);
  EXPECT_DOUBLE_EQ(m.classes[0].precision, 0.5);  // a predicted on files 1 and 3; true on 1
  EXPECT_DOUBLE_EQ(m.classes[0].recall, 1.0);
  EXPECT_DOUBLE_EQ(m.classes[1].recall, 0.5);     // b true on 1 and 3; predicted on 1
  EXPECT_TRUE(m.confusion.empty());
}

TEST(MetricsTest, ThePredictionIsTheNegativeClassWhenNothingElseIsLikelier) {
  EXPECT_EQ(predicted_class({0.2f, 0.3f}, true), -1);
  EXPECT_EQ(predicted_class({0.2f, 0.3f}, false), 1);
  EXPECT_EQ(predicted_class({0.6f, 0.3f}, true), 0);
}

}  // namespace
}  // namespace soundlens
