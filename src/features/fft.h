#pragma once
// Real-input FFT for the spectrogram front ends. Power-of-two sizes only (the
// front ends use 1024 points): a half-size complex radix-2/4 transform of the
// packed even/odd samples, in double precision (~1e-13 relative), far inside
// the 1e-4 feature contract.
#include <complex>
#include <cstddef>
#include <vector>

namespace soundlens::features {

class RealFft {
 public:
  // Per-call working memory, so that one RealFft can be shared by threads.
  struct Scratch {
    std::vector<double> re, im;
  };

  explicit RealFft(int n);  // n: a power of two, at least 8

  int size() const { return n_; }
  int n_bins() const { return n_ / 2 + 1; }
  Scratch make_scratch() const;

  // in: n real samples; out: n/2 + 1 bins X[k] = sum_t in[t] e^{-2 pi i k t / n}.
  void forward(const double* in, std::complex<double>* out, Scratch& scratch) const;

  // power[k] = |X[k]|^2 for the n/2 + 1 bins: what the spectrogram needs,
  // without storing the complex spectrum first.
  void power(const double* in, double* power, Scratch& scratch) const;

 private:
  // In place, size n/2, on data already in bit-reversed order.
  void complex_fft(double* re, double* im) const;
  // The packed half-size transform of in, left in scratch.
  void packed_fft(const double* in, Scratch& scratch) const;
  // Bin k of the real transform from the packed one (0 < k < n/2).
  std::complex<double> split(const Scratch& scratch, int k) const;

  int n_;
  int half_;                        // the complex FFT size
  std::vector<int> bitrev_;         // permutation for the half-size transform
  std::vector<double> stage_cos_;   // twiddles of every stage, contiguous per stage
  std::vector<double> stage_sin_;
  std::vector<double> split_re_, split_im_;  // e^{-2 pi i k / n}, to split the packed spectrum
};

}  // namespace soundlens::features
