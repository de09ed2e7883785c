#pragma once
// Short-time power spectra, |X|^2 per bin, framed the way torch.stft(center=True)
// frames a signal.
#include <cstddef>
#include <vector>

#include "features/fft.h"
#include "features/padded_signal.h"

namespace soundlens::features {

class PowerStft {
 public:
  // window: n_fft values (a shorter window already centred with zeros).
  PowerStft(int n_fft, int hop, std::vector<double> window);

  int n_fft() const { return fft_.size(); }
  int hop() const { return hop_; }
  int n_bins() const { return fft_.n_bins(); }

  // Frames of a signal of n samples once centre-padded by n_fft / 2 each side.
  static int n_frames(std::size_t n_samples, int hop) { return int(n_samples / std::size_t(hop)) + 1; }

  struct Scratch {
    std::vector<double> frame;
    RealFft::Scratch fft;
  };
  Scratch make_scratch() const;

  // power: n_bins values for frame t, which covers padded[t * hop, t * hop + n_fft).
  void frame_power(const PaddedSignal& signal, int t, double* power, Scratch& scratch) const;

 private:
  RealFft fft_;
  int hop_;
  std::vector<double> window_;
  int window_first_ = 0;  // the window's nonzero span: samples outside it are skipped
  int window_end_ = 0;
};

}  // namespace soundlens::features
