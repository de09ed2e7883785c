#include "features/inverse_real_fft.h"

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <utility>

namespace soundlens::features {

namespace {

std::complex<double> positive_root(int k, int n) {
  const double angle = 2.0 * std::numbers::pi * double(k) / double(n);
  return {std::cos(angle), std::sin(angle)};
}

}  // namespace

InverseRealFft::InverseRealFft(int n) : n_(n), half_(n / 2) {
  if (n < 8 || (n & (n - 1)) != 0) throw std::invalid_argument("InverseRealFft: size must be a power of two >= 8");
  int bits = 0;
  while ((1 << bits) < half_) ++bits;
  bitrev_.resize(half_);
  for (int i = 0; i < half_; ++i) {
    int r = 0;
    for (int b = 0; b < bits; ++b) r |= ((i >> b) & 1) << (bits - 1 - b);
    bitrev_[i] = r;
  }
  for (int h = 1; h < half_; h *= 2)
    for (int j = 0; j < h; ++j) {
      const auto w = positive_root(j, 2 * h);
      stage_cos_.push_back(w.real());
      stage_sin_.push_back(w.imag());
    }
  unpack_.resize(half_);
  for (int k = 0; k < half_; ++k) unpack_[k] = positive_root(k, n_);
}

InverseRealFft::Scratch InverseRealFft::make_scratch() const {
  return {std::vector<double>(half_), std::vector<double>(half_)};
}

void InverseRealFft::complex_inverse(double* re, double* im) const {
  const double* wc = stage_cos_.data();
  const double* ws = stage_sin_.data();
  for (int h = 1; h < half_; h *= 2) {
    for (int start = 0; start < half_; start += 2 * h)
      for (int j = 0; j < h; ++j) {
        const int a = start + j, b = a + h;
        const double tr = re[b] * wc[j] - im[b] * ws[j];
        const double ti = re[b] * ws[j] + im[b] * wc[j];
        re[b] = re[a] - tr, im[b] = im[a] - ti;
        re[a] += tr, im[a] += ti;
      }
    wc += h, ws += h;
  }
}

void InverseRealFft::inverse(const std::complex<double>* bins, double* out, Scratch& s) const {
  // With x_e = x[2t], x_o = x[2t + 1] and W = e^{-2 pi i / n}: X[k] = E[k] + W^k O[k] and
  // X[k + n/2] = conj(X[n/2 - k]) = E[k] - W^k O[k]. So Z = E + i O is the half-size
  // spectrum of x_e + i x_o.
  for (int k = 0; k < half_; ++k) {
    std::complex<double> a = bins[k], b = std::conj(bins[half_ - k]);
    if (k == 0) a = a.real(), b = bins[half_].real();
    const auto e = (a + b) * 0.5;
    const auto o = (a - b) * 0.5 * unpack_[k];
    const auto z = e + std::complex<double>(0, 1) * o;
    s.re[bitrev_[k]] = z.real();
    s.im[bitrev_[k]] = z.imag();
  }
  complex_inverse(s.re.data(), s.im.data());
  const double scale = 1.0 / half_;
  for (int t = 0; t < half_; ++t) {
    out[2 * t] = s.re[t] * scale;
    out[2 * t + 1] = s.im[t] * scale;
  }
}

}  // namespace soundlens::features
