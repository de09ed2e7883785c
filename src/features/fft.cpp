#include "features/fft.h"

// GCC warns that 32-byte vectors are passed differently with and without
// AVX. Here they only pass through the always-inlined helpers below, so no
// call with a vector argument or result is ever made (an out-of-line helper
// called from the AVX2 clone would disagree with itself on where its result is).
#pragma GCC diagnostic ignored "-Wpsabi"

#include <cmath>
#include <cstring>
#include <numbers>
#include <stdexcept>

namespace soundlens::features {

namespace {

bool is_power_of_two(int n) { return n > 0 && (n & (n - 1)) == 0; }

// Four doubles, a GCC/Clang vector extension: one AVX register in the AVX2
// clones below, two SSE2 (or NEON) registers elsewhere.
typedef double Lanes __attribute__((vector_size(32)));
constexpr int kLanes = 4;

[[gnu::always_inline]] inline Lanes load(const double* p) {
  Lanes v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
[[gnu::always_inline]] inline void store(double* p, Lanes v) { std::memcpy(p, &v, sizeof v); }
[[gnu::always_inline]] inline Lanes reversed(Lanes v) { return __builtin_shufflevector(v, v, 3, 2, 1, 0); }

// The butterflies and the split are most of a spectrogram's time: on x86-64
// they are also compiled for AVX2 + FMA, chosen when the program loads.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define SOUNDLENS_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define SOUNDLENS_VECTOR_CLONES
#endif

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

SOUNDLENS_VECTOR_CLONES
void RealFft::complex_fft(double* re, double* im) const {
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
  // Then the remaining stages two at a time (spans h and 2h in one sweep, a
  // radix-4 step), so the data is loaded and stored half as often; a last
  // single stage if their number is odd. Spans from 4 up are multiples of
  // kLanes; the lanes are spelled out because the compiler will
  // not vectorise these loops on its own (it cannot prove the streams apart).
  int h = 4;
  for (; 2 * h < half_; h *= 4) {
    const double* wc1 = stage_cos_.data() + (h - 1);  // span h's twiddles start at h - 1
    const double* ws1 = stage_sin_.data() + (h - 1);
    const double* wc2 = stage_cos_.data() + (2 * h - 1);
    const double* ws2 = stage_sin_.data() + (2 * h - 1);
    for (int start = 0; start < half_; start += 4 * h) {
      double* r = re + start;
      double* i = im + start;
      for (int j = 0; j < h; j += kLanes) {
        const Lanes c1 = load(wc1 + j), s1 = load(ws1 + j);
        const Lanes c2 = load(wc2 + j), s2 = load(ws2 + j);
        const Lanes a0r = load(r + j), a0i = load(i + j);
        const Lanes a1r = load(r + j + h), a1i = load(i + j + h);
        const Lanes a2r = load(r + j + 2 * h), a2i = load(i + j + 2 * h);
        const Lanes a3r = load(r + j + 3 * h), a3i = load(i + j + 3 * h);
        // Span h: (a0, a1) and (a2, a3) with twiddle w1.
        const Lanes t1r = a1r * c1 - a1i * s1, t1i = a1r * s1 + a1i * c1;
        const Lanes t3r = a3r * c1 - a3i * s1, t3i = a3r * s1 + a3i * c1;
        const Lanes b0r = a0r + t1r, b0i = a0i + t1i, b1r = a0r - t1r, b1i = a0i - t1i;
        const Lanes b2r = a2r + t3r, b2i = a2i + t3i, b3r = a2r - t3r, b3i = a2i - t3i;
        // Span 2h: (b0, b2) with twiddle w2, (b1, b3) with w2 * -i.
        const Lanes u2r = b2r * c2 - b2i * s2, u2i = b2r * s2 + b2i * c2;
        const Lanes u3r = b3r * c2 - b3i * s2, u3i = b3r * s2 + b3i * c2;  // then * -i: (u3i, -u3r)
        store(r + j, b0r + u2r), store(i + j, b0i + u2i);
        store(r + j + 2 * h, b0r - u2r), store(i + j + 2 * h, b0i - u2i);
        store(r + j + h, b1r + u3i), store(i + j + h, b1i - u3r);
        store(r + j + 3 * h, b1r - u3i), store(i + j + 3 * h, b1i + u3r);
      }
    }
  }
  if (h < half_) {
    const double* wc = stage_cos_.data() + (h - 1);
    const double* ws = stage_sin_.data() + (h - 1);
    for (int start = 0; start < half_; start += 2 * h) {
      double* ar = re + start;
      double* ai = im + start;
      double* br = ar + h;
      double* bi = ai + h;
      for (int j = 0; j < h; j += kLanes) {
        const Lanes c = load(wc + j), s = load(ws + j);
        const Lanes xr = load(br + j), xi = load(bi + j);
        const Lanes yr = load(ar + j), yi = load(ai + j);
        const Lanes tr = xr * c - xi * s;
        const Lanes ti = xr * s + xi * c;
        store(br + j, yr - tr), store(bi + j, yi - ti);
        store(ar + j, yr + tr), store(ai + j, yi + ti);
      }
    }
  }
}

void RealFft::packed_fft(const double* in, Scratch& scratch) const {
  double* re = scratch.re.data();
  double* im = scratch.im.data();
  // Pack even samples as real and odd samples as imaginary parts: one complex
  // FFT of half the size then yields the real FFT after a split step. The
  // packing also does the FFT's bit-reversal permutation (its own inverse,
  // so it can gather: scattered loads are cheaper than scattered stores).
  for (int i = 0; i < half_; ++i) {
    const int from = 2 * bitrev_[i];
    re[i] = in[from];
    im[i] = in[from + 1];
  }
  complex_fft(re, im);
}

std::complex<double> RealFft::split(const Scratch& scratch, int k) const {
  // X[k] = E[k] + w^k O[k], with E, O the spectra of the even and odd
  // samples recovered from Z[k] and conj(Z[m - k]). Written out in reals:
  // std::complex multiplication carries a NaN-recovery path we do not need.
  const double zr = scratch.re[k], zi = scratch.im[k];
  const double cr = scratch.re[half_ - k], ci = -scratch.im[half_ - k];
  const double er = 0.5 * (zr + cr), ei = 0.5 * (zi + ci);
  const double or_ = 0.5 * (zi - ci), oi = -0.5 * (zr - cr);  // -i/2 (z - conj)
  const double wr = split_re_[k], wi = split_im_[k];
  return {er + wr * or_ - wi * oi, ei + wr * oi + wi * or_};
}

void RealFft::forward(const double* in, std::complex<double>* out, Scratch& scratch) const {
  packed_fft(in, scratch);
  out[0] = {scratch.re[0] + scratch.im[0], 0.0};
  out[half_] = {scratch.re[0] - scratch.im[0], 0.0};
  for (int k = 1; k < half_; ++k) out[k] = split(scratch, k);
}

SOUNDLENS_VECTOR_CLONES
void RealFft::power(const double* in, double* power, Scratch& scratch) const {
  packed_fft(in, scratch);
  const double* re = scratch.re.data();
  const double* im = scratch.im.data();
  const double dc = re[0] + im[0];
  const double nyquist = re[0] - im[0];
  power[0] = dc * dc;
  power[half_] = nyquist * nyquist;
  // split() kLanes bins at a time: bins k .. k + 3 pair with m - k .. m - k - 3,
  // which are one load with its lanes reversed.
  int k = 1;
  for (; k + kLanes - 1 < half_; k += kLanes) {
    const Lanes zr = load(re + k), zi = load(im + k);
    const Lanes cr = reversed(load(re + half_ - k - (kLanes - 1)));
    const Lanes ci = -reversed(load(im + half_ - k - (kLanes - 1)));
    const Lanes er = 0.5 * (zr + cr), ei = 0.5 * (zi + ci);
    const Lanes or_ = 0.5 * (zi - ci), oi = -0.5 * (zr - cr);
    const Lanes wr = load(split_re_.data() + k), wi = load(split_im_.data() + k);
    const Lanes xr = er + wr * or_ - wi * oi, xi = ei + wr * oi + wi * or_;
    store(power + k, xr * xr + xi * xi);
  }
  for (; k < half_; ++k) {
    const auto x = split(scratch, k);
    power[k] = x.real() * x.real() + x.imag() * x.imag();
  }
}

}  // namespace soundlens::features
