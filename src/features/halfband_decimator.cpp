#include "features/halfband_decimator.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <stdexcept>

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

// Polyphase form: with o[k] = x[2k + 1] (zero outside), output m is
// h[0] x[2m] + sum_i h[2i + 1] (o[m - 1 - i] + o[m + i]). Looping over taps
// outside and outputs inside keeps every access contiguous, so the compiler
// vectorises it. Blocks of outputs keep the working memory small for hours of audio.
std::vector<float> HalfbandDecimator::decimate(std::span<const float> x) const {
  std::vector<float> y((x.size() + 1) / 2);
  decimate_range(x, 0, y.size(), y);
  return y;
}

// Each output's sum runs over the taps in the same order wherever the block
// starts, so a range gives the very values the whole does.
void HalfbandDecimator::decimate_range(std::span<const float> x, std::size_t first, std::size_t last,
                                       std::span<float> y) const {
  constexpr std::size_t kBlock = 8192;
  const std::size_t n = x.size(), outputs = (n + 1) / 2, pairs = odd_.size(), odd_count = n / 2;
  last = std::min(last, outputs);
  if (y.size() < last) throw std::invalid_argument("HalfbandDecimator: output span too short");
  if (first >= last) return;
  const std::size_t block = std::min(kBlock, last - first);
  std::vector<double> acc(block), odd(block + 2 * pairs);
  for (std::size_t m0 = first; m0 < last; m0 += block) {
    const std::size_t count = std::min(block, last - m0);
    for (std::size_t m = 0; m < count; ++m) acc[m] = centre_ * double(x[2 * (m0 + m)]);
    // odd[j] = o[m0 - pairs + j]
    for (std::size_t j = 0; j < count + 2 * pairs; ++j) {
      const std::size_t k = m0 + j;  // o index + pairs
      odd[j] = k >= pairs && k - pairs < odd_count ? double(x[2 * (k - pairs) + 1]) : 0.0;
    }
    for (std::size_t i = 0; i < pairs; ++i) {
      const double h = odd_[i];
      const double* left = odd.data() + pairs - 1 - i;  // o[m - 1 - i]
      const double* right = odd.data() + pairs + i;     // o[m + i]
      for (std::size_t m = 0; m < count; ++m) acc[m] += h * (left[m] + right[m]);
    }
    for (std::size_t m = 0; m < count; ++m) y[m0 + m] = float(acc[m]);
  }
}

}  // namespace soundlens::features
