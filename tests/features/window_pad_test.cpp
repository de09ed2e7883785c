#include <cmath>
#include <numbers>
#include <vector>

#include <gtest/gtest.h>

#include "features/centre_pad.h"
#include "features/window.h"

namespace sf = soundlens::features;

namespace {

TEST(FeatureWindow, SymmetricHannHasZeroEndsAndMirrors) {
  const auto w = sf::hann_symmetric(800);
  ASSERT_EQ(w.size(), 800u);
  EXPECT_EQ(w.front(), 0.0);
  EXPECT_NEAR(w.back(), 0.0, 1e-15);
  for (int i = 0; i < 400; ++i) EXPECT_NEAR(w[i], w[799 - i], 1e-14) << i;
  EXPECT_NEAR(w[1], 0.5 - 0.5 * std::cos(2 * std::numbers::pi / 799), 1e-15);
}

TEST(FeatureWindow, PeriodicHannPeaksAtHalfAndDropsTheClosingZero) {
  const auto w = sf::hann_periodic(1024);
  ASSERT_EQ(w.size(), 1024u);
  EXPECT_EQ(w[0], 0.0);
  EXPECT_NEAR(w[512], 1.0, 1e-15);
  EXPECT_GT(w[1023], 0.0);  // the symmetric window's last zero is not part of it
  for (int i = 1; i < 512; ++i) EXPECT_NEAR(w[i], w[1024 - i], 1e-14) << i;
}

TEST(FeatureWindow, ShortWindowIsCentredInTheFft) {
  const auto w = sf::centre_in_fft(sf::hann_symmetric(800), 1024);
  ASSERT_EQ(w.size(), 1024u);
  const auto inner = sf::hann_symmetric(800);
  for (int i = 0; i < 112; ++i) EXPECT_EQ(w[i], 0.0);
  for (int i = 0; i < 800; ++i) EXPECT_EQ(w[112 + i], inner[i]);
  for (int i = 912; i < 1024; ++i) EXPECT_EQ(w[i], 0.0);
}

std::vector<double> ramp(int n) {
  std::vector<double> x(n);
  for (int i = 0; i < n; ++i) x[i] = 10.0 + i;
  return x;
}

TEST(FeatureReflectPad, LongSignalIsTorchReflect) {
  const auto x = ramp(20);
  const auto p = sf::reflect_pad(x, 5);
  ASSERT_EQ(p.size(), 30u);
  // torch/numpy 'reflect': the edge sample is not repeated.
  const std::vector<double> left = {15, 14, 13, 12, 11};
  const std::vector<double> right = {28, 27, 26, 25, 24};
  for (int i = 0; i < 5; ++i) EXPECT_EQ(p[i], left[i]);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(p[5 + i], x[i]);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(p[25 + i], right[i]);
}

TEST(FeatureReflectPad, ShortSignalKeepsReflecting) {
  const auto p = sf::reflect_pad(ramp(3), 6);  // 10 11 12: period 4
  const std::vector<double> want = {12, 11, 10, 11, 12, 11, 10, 11, 12, 11, 10, 11, 12, 11, 10};
  EXPECT_EQ(p, want);
}

TEST(FeatureReflectPad, SignalOfOneOrNoSampleIsZeroPadded) {
  EXPECT_EQ(sf::reflect_pad(std::vector<double>{7.0}, 2), (std::vector<double>{0, 0, 7, 0, 0}));
  EXPECT_EQ(sf::reflect_pad(std::vector<double>{}, 2), (std::vector<double>{0, 0, 0, 0}));
}

}  // namespace
