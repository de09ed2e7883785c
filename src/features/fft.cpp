#include "features/fft.h"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace soundlens::features {

namespace {

bool is_power_of_two(int n) { return n > 0 && (n & (n - 1)) == 0; }

// cos/sin of -2 pi k / n computed directly per index, not by recurrence, so
// that twiddle error does not grow with k.
std::complex<double> unit_root(int k, int n) {
  const double angle = -2.0 * std::numbers::pi * double(k) / double(n);
  return {std::cos(angle), std::sin(angle)};
}

}  // namespace

RealFft::RealFft(int n) : n_(n), half_(n / 2) {
  if (!is_power_of_two(n) || n < 4) throw std::invalid_argument("RealFft: size must be a power of two >= 4");

  int bits = 0;
  while ((1 << bits) < half_) ++bits;
  bitrev_.resize(half_);
  for (int i = 0; i < half_; ++i) {
    int r = 0;
    for (int b = 0; b < bits; ++b) r |= ((i >> b) & 1) << (bits - 1 - b);
    bitrev_[i] = r;
  }

  // Stage with butterfly span h uses h twiddles e^{-2 pi i j / (2h)}; laying
  // them out contiguously keeps the inner loop a unit-stride sweep.
  for (int h = 1; h < half_; h *= 2) {
    for (int j = 0; j < h; ++j) {
      const auto w = unit_root(j, 2 * h);
      stage_cos_.push_back(w.real());
      stage_sin_.push_back(w.imag());
    }
  }

  split_.resize(half_ + 1);
  for (int k = 0; k <= half_; ++k) split_[k] = unit_root(k, n_);
}

RealFft::Scratch RealFft::make_scratch() const {
  return Scratch{std::vector<double>(half_), std::vector<double>(half_)};
}

void RealFft::complex_fft(double* re, double* im) const {
  for (int i = 0; i < half_; ++i) {
    const int r = bitrev_[i];
    if (r > i) {
      std::swap(re[i], re[r]);
      std::swap(im[i], im[r]);
    }
  }
  const double* wc = stage_cos_.data();
  const double* ws = stage_sin_.data();
  for (int h = 1; h < half_; h *= 2) {
    for (int start = 0; start < half_; start += 2 * h) {
      double* ar = re + start;
      double* ai = im + start;
      double* br = ar + h;
      double* bi = ai + h;
      for (int j = 0; j < h; ++j) {
        const double tr = br[j] * wc[j] - bi[j] * ws[j];
        const double ti = br[j] * ws[j] + bi[j] * wc[j];
        br[j] = ar[j] - tr;
        bi[j] = ai[j] - ti;
        ar[j] += tr;
        ai[j] += ti;
      }
    }
    wc += h;
    ws += h;
  }
}

void RealFft::forward(const double* in, std::complex<double>* out, Scratch& scratch) const {
  double* re = scratch.re.data();
  double* im = scratch.im.data();
  // Pack even samples as real and odd samples as imaginary parts: one complex
  // FFT of half the size then yields the real FFT after a split step.
  for (int i = 0; i < half_; ++i) {
    re[i] = in[2 * i];
    im[i] = in[2 * i + 1];
  }
  complex_fft(re, im);

  out[0] = {re[0] + im[0], 0.0};
  out[half_] = {re[0] - im[0], 0.0};
  for (int k = 1; k < half_; ++k) {
    const std::complex<double> z(re[k], im[k]);
    const std::complex<double> zc(re[half_ - k], -im[half_ - k]);
    const std::complex<double> even = 0.5 * (z + zc);
    const std::complex<double> odd = std::complex<double>(0.0, -0.5) * (z - zc);
    out[k] = even + split_[k] * odd;
  }
}

}  // namespace soundlens::features
