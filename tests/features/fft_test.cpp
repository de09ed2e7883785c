#include <cmath>
#include <complex>
#include <numbers>
#include <random>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include "features/fft.h"

using soundlens::features::RealFft;

namespace {

std::vector<std::complex<double>> naive_dft(const std::vector<double>& x) {
  const int n = int(x.size());
  std::vector<std::complex<double>> out(n / 2 + 1);
  for (int k = 0; k <= n / 2; ++k) {
    std::complex<double> sum = 0;
    for (int t = 0; t < n; ++t) {
      // Reduce k*t mod n first so the angle stays small and exact.
      const double angle = -2.0 * std::numbers::pi * double((long(k) * t) % n) / n;
      sum += x[t] * std::complex<double>(std::cos(angle), std::sin(angle));
    }
    out[k] = sum;
  }
  return out;
}

class FeatureFft : public ::testing::TestWithParam<int> {};

TEST_P(FeatureFft, MatchesNaiveDft) {
  const int n = GetParam();
  std::mt19937 rng(n);
  std::normal_distribution<double> normal;
  std::vector<double> x(n);
  for (auto& v : x) v = normal(rng);

  const RealFft fft(n);
  auto scratch = fft.make_scratch();
  std::vector<std::complex<double>> got(fft.n_bins());
  fft.forward(x.data(), got.data(), scratch);
  const auto want = naive_dft(x);

  double worst = 0;
  for (int k = 0; k <= n / 2; ++k) worst = std::max(worst, std::abs(got[k] - want[k]));
  // Values are O(sqrt(n)); double-precision radix-2 error is ~1e-15 * that * log n.
  EXPECT_LT(worst, 1e-10) << "n = " << n;

  std::vector<double> power(fft.n_bins());
  fft.power(x.data(), power.data(), scratch);
  for (int k = 0; k <= n / 2; ++k) EXPECT_NEAR(power[k], std::norm(want[k]), 1e-9 * (1 + std::norm(want[k]))) << k;
}

INSTANTIATE_TEST_SUITE_P(Sizes, FeatureFft, ::testing::Values(8, 16, 32, 64, 256, 1024, 2048));

TEST(FeatureFftBasics, ImpulseAndCosine) {
  const int n = 1024;
  const RealFft fft(n);
  auto scratch = fft.make_scratch();
  std::vector<std::complex<double>> out(fft.n_bins());

  std::vector<double> impulse(n, 0.0);
  impulse[3] = 1.0;
  fft.forward(impulse.data(), out.data(), scratch);
  for (int k = 0; k <= n / 2; ++k) {
    EXPECT_NEAR(std::abs(out[k]), 1.0, 1e-12);
    EXPECT_NEAR(std::arg(out[k] * std::polar(1.0, 2.0 * std::numbers::pi * 3 * k / n)), 0.0, 1e-9);
  }

  std::vector<double> cosine(n);
  for (int t = 0; t < n; ++t) cosine[t] = std::cos(2.0 * std::numbers::pi * 37 * t / n);
  fft.forward(cosine.data(), out.data(), scratch);
  for (int k = 0; k <= n / 2; ++k) EXPECT_NEAR(std::abs(out[k]), k == 37 ? n / 2.0 : 0.0, 1e-9) << k;
}

TEST(FeatureFftBasics, RejectsSizesThatAreNotPowersOfTwo) {
  EXPECT_THROW(RealFft(1000), std::invalid_argument);
  EXPECT_THROW(RealFft(4), std::invalid_argument);  // below the fused first pass
  EXPECT_THROW(RealFft(0), std::invalid_argument);
}

}  // namespace
