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
  if (!is_power_of_two(n) || n < 8) throw std::invalid_argument("RealFft: size must be a power of two >= 8");

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

  split_re_.resize(half_ + 1);
  split_im_.resize(half_ + 1);
  for (int k = 0; k <= half_; ++k) {
    const auto w = unit_root(k, n_);
    split_re_[k] = w.real();
    split_im_[k] = w.imag();
  }
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
  // The first two radix-2 stages have twiddles 1 and -i only: done together
  // as 4-point DFTs, they need no multiplications.
  for (int s = 0; s < half_; s += 4) {
    const double r0 = re[s] + re[s + 1], i0 = im[s] + im[s + 1];
    const double r1 = re[s] - re[s + 1], i1 = im[s] - im[s + 1];
    const double r2 = re[s + 2] + re[s + 3], i2 = im[s + 2] + im[s + 3];
    const double r3 = re[s + 2] - re[s + 3], i3 = im[s + 2] - im[s + 3];
    re[s] = r0 + r2, im[s] = i0 + i2;
    re[s + 2] = r0 - r2, im[s + 2] = i0 - i2;
    re[s + 1] = r1 + i3, im[s + 1] = i1 - r3;  // (r3 + i i3) * -i = i3 - i r3
    re[s + 3] = r1 - i3, im[s + 3] = i1 + r3;
  }
  const double* wc = stage_cos_.data() + 3;  // skip the twiddles of spans 1 and 2
  const double* ws = stage_sin_.data() + 3;
  for (int h = 4; h < half_; h *= 2) {
    for (int start = 0; start < half_; start += 2 * h) {
      // Distinct halves of one block: restrict lets the compiler vectorise
      // the sweep without run-time overlap checks.
      double* __restrict ar = re + start;
      double* __restrict ai = im + start;
      double* __restrict br = ar + h;
      double* __restrict bi = ai + h;
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
  // X[k] = E[k] + w^k O[k], with E, O the spectra of the even and odd
  // samples recovered from Z[k] and conj(Z[m - k]). Written out in reals:
  // std::complex multiplication carries a NaN-recovery path we do not need.
  for (int k = 1; k < half_; ++k) {
    const double zr = re[k], zi = im[k];
    const double cr = re[half_ - k], ci = -im[half_ - k];
    const double er = 0.5 * (zr + cr), ei = 0.5 * (zi + ci);
    const double or_ = 0.5 * (zi - ci), oi = -0.5 * (zr - cr);  // -i/2 (z - conj)
    const double wr = split_re_[k], wi = split_im_[k];
    out[k] = {er + wr * or_ - wi * oi, ei + wr * oi + wi * or_};
  }
}

}  // namespace soundlens::features
