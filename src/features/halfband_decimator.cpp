#include "features/halfband_decimator.h"

#include <cmath>
#include <cstdint>
#include <numeric>

namespace soundlens::features {
namespace {

// The modified Bessel function I0, by its power series (converges fast for beta ~ 10).
double bessel_i0(double x) {
  double sum = 1, term = 1;
  for (int k = 1; k < 200; ++k) {
    term *= (x / (2 * k)) * (x / (2 * k));
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return sum;
}

}  // namespace

HalfbandDecimator::HalfbandDecimator() {
  const int k = kHalfLength;
  taps_.resize(2 * k + 1);
  const double i0_beta = bessel_i0(kBeta);
  for (int n = -k; n <= k; ++n) {
    const double r = double(n) / k;
    const double window = bessel_i0(kBeta * std::sqrt(std::max(0.0, 1 - r * r))) / i0_beta;
    const double x = M_PI * n / 2;
    const double sinc = n == 0 ? 1.0 : std::sin(x) / x;
    taps_[std::size_t(n + k)] = 0.5 * sinc * window;
  }
  const double sum = std::accumulate(taps_.begin(), taps_.end(), 0.0);
  for (auto& t : taps_) t /= sum;
  // Even taps other than the centre are zero (sin(pi n / 2) = 0): drop them.
  centre_ = taps_[std::size_t(k)];
  for (int n = 1; n <= k; n += 2) odd_.push_back(taps_[std::size_t(k + n)]);
}

std::vector<float> HalfbandDecimator::decimate(std::span<const float> x) const {
  const std::int64_t n = std::int64_t(x.size());
  std::vector<float> y(std::size_t((n + 1) / 2));
  const std::int64_t k = kHalfLength;
  const int pairs = int(odd_.size());
  for (std::int64_t m = 0; m < std::int64_t(y.size()); ++m) {
    const std::int64_t c = 2 * m;
    double acc = centre_ * x[std::size_t(c)];
    if (c - k >= 0 && c + k < n) {  // away from the edges: no bounds to check
      const float* p = x.data() + c;
      for (int i = 0; i < pairs; ++i) {
        const int j = 2 * i + 1;
        acc += odd_[std::size_t(i)] * (double(p[-j]) + double(p[j]));
      }
    } else {
      for (int i = 0; i < pairs; ++i) {
        const std::int64_t j = 2 * i + 1;
        const double left = c - j >= 0 ? x[std::size_t(c - j)] : 0.0;
        const double right = c + j < n ? x[std::size_t(c + j)] : 0.0;
        acc += odd_[std::size_t(i)] * (left + right);
      }
    }
    y[std::size_t(m)] = float(acc);
  }
  return y;
}

}  // namespace soundlens::features
