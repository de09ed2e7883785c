#include <cmath>
#include <numbers>
#include <vector>

#include <gtest/gtest.h>

#include "features/padded_signal.h"
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

std::vector<float> ramp(int n) {
  std::vector<float> x(n);
  for (int i = 0; i < n; ++i) x[i] = 10.0f + float(i);
  return x;
}

std::vector<double> read_all(const sf::PaddedSignal& s) {
  std::vector<double> out(s.padded_size());
  s.read(0, int(out.size()), out.data());
  return out;
}

TEST(FeaturePaddedSignal, LongSignalIsTorchReflect) {
  const auto x = ramp(20);
  const auto s = sf::PaddedSignal::plain(x, 5);
  ASSERT_EQ(s.signal_size(), 20u);
  const auto p = read_all(s);
  ASSERT_EQ(p.size(), 30u);
  // torch/numpy 'reflect': the edge sample is not repeated.
  const std::vector<double> left = {15, 14, 13, 12, 11};
  const std::vector<double> right = {28, 27, 26, 25, 24};
  for (int i = 0; i < 5; ++i) EXPECT_EQ(p[i], left[i]);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(p[5 + i], x[i]);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(p[25 + i], right[i]);
}

TEST(FeaturePaddedSignal, PiecewiseReadsEqualOneRead) {
  const auto x = ramp(50);
  const auto s = sf::PaddedSignal::pre_emphasised(x, 16, 0.97);
  const auto whole = read_all(s);
  // Windows straddling each edge, inside, and single samples: same values.
  for (std::size_t start : {0u, 3u, 16u, 30u, 60u, 70u}) {
    const int count = 11;
    std::vector<double> part(count);
    s.read(start, count, part.data());
    for (int i = 0; i < count; ++i) EXPECT_EQ(part[i], whole[start + i]) << start << "+" << i;
  }
}

TEST(FeaturePaddedSignal, PreEmphasisIsTheValidConvolution) {
  const std::vector<float> x = {1.0f, 2.0f, 4.0f, 8.0f};
  const auto s = sf::PaddedSignal::pre_emphasised(x, 0, 0.97);
  ASSERT_EQ(s.signal_size(), 3u);  // one shorter
  const auto y = read_all(s);
  EXPECT_DOUBLE_EQ(y[0], 2.0 - 0.97 * 1.0);
  EXPECT_DOUBLE_EQ(y[1], 4.0 - 0.97 * 2.0);
  EXPECT_DOUBLE_EQ(y[2], 8.0 - 0.97 * 4.0);
  EXPECT_EQ(sf::PaddedSignal::pre_emphasised(std::vector<float>{1.0f}, 2, 0.97).signal_size(), 0u);
}

TEST(FeaturePaddedSignal, ShortSignalKeepsReflecting) {
  const auto p = read_all(sf::PaddedSignal::plain(ramp(3), 6));  // 10 11 12: period 4
  const std::vector<double> want = {12, 11, 10, 11, 12, 11, 10, 11, 12, 11, 10, 11, 12, 11, 10};
  EXPECT_EQ(p, want);
}

TEST(FeaturePaddedSignal, SignalOfOneOrNoSampleIsZeroPadded) {
  EXPECT_EQ(read_all(sf::PaddedSignal::plain(std::vector<float>{7.0f}, 2)), (std::vector<double>{0, 0, 7, 0, 0}));
  EXPECT_EQ(read_all(sf::PaddedSignal::plain(std::vector<float>{}, 2)), (std::vector<double>{0, 0, 0, 0}));
}

}  // namespace
