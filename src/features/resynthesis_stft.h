#pragma once
// A complex STFT that inverts exactly, for turning a masked spectrum back
// into sound: square-root periodic Hann for analysis and synthesis, frames
// centred at t * hop (zeros beyond the signal), inverse by weighted
// overlap-add divided by the summed squared window at each sample, which
// gives the input back wherever no bin was changed.
#include <complex>
#include <cstddef>
#include <span>
#include <vector>

#include "features/fft.h"
#include "features/inverse_real_fft.h"

namespace soundlens::features {

struct ComplexSpectrogram {
  int frames = 0, bins = 0;
  std::vector<std::complex<float>> values;  // frame-major: values[frame * bins + bin]
  std::complex<float>* frame(int t) { return values.data() + std::size_t(t) * bins; }
  const std::complex<float>* frame(int t) const { return values.data() + std::size_t(t) * bins; }
};

class ResynthesisStft {
 public:
  ResynthesisStft(int n_fft = 1024, int hop = 256);  // hop must divide n_fft / 2

  int n_fft() const { return fft_.size(); }
  int hop() const { return hop_; }
  int n_bins() const { return fft_.n_bins(); }
  static int n_frames(std::size_t n_samples, int hop) { return int(n_samples / std::size_t(hop)) + 1; }

  ComplexSpectrogram analyse(std::span<const float> x) const;
  // n_samples: the length of the signal analysed.
  std::vector<float> synthesise(const ComplexSpectrogram& spectrum, std::size_t n_samples) const;

 private:
  RealFft fft_;
  InverseRealFft inverse_;
  int hop_;
  std::vector<double> window_;  // sqrt of the periodic Hann
};

}  // namespace soundlens::features
