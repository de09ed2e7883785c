#pragma once
// The inverse of RealFft: n real samples from the n/2 + 1 bins of a
// Hermitian spectrum, through one complex transform of half the size (the
// even and odd samples packed as real and imaginary parts).
#include <complex>
#include <vector>

namespace soundlens::features {

class InverseRealFft {
 public:
  struct Scratch {
    std::vector<double> re, im;
  };

  explicit InverseRealFft(int n);  // n: a power of two, at least 8

  int size() const { return n_; }
  int n_bins() const { return n_ / 2 + 1; }
  Scratch make_scratch() const;

  // out[t] = (1/n) sum_k X[k] e^{+2 pi i k t / n} over all n bins, the upper
  // half being the conjugates of the given ones. The imaginary parts of bins
  // 0 and n/2 are ignored, as for any real signal.
  void inverse(const std::complex<double>* bins, double* out, Scratch& scratch) const;

 private:
  void complex_inverse(double* re, double* im) const;  // in place, size n/2, unscaled

  int n_, half_;
  std::vector<int> bitrev_;
  std::vector<double> stage_cos_, stage_sin_;  // e^{+2 pi i j / (2h)} per stage, contiguous
  std::vector<std::complex<double>> unpack_;   // e^{+2 pi i k / n}
};

}  // namespace soundlens::features
