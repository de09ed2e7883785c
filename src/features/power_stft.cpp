#include "features/power_stft.h"

#include <stdexcept>

namespace soundlens::features {

PowerStft::PowerStft(int n_fft, int hop, std::vector<double> window)
    : fft_(n_fft), hop_(hop), window_(std::move(window)) {
  if (hop <= 0) throw std::invalid_argument("PowerStft: hop must be positive");
  if (int(window_.size()) != n_fft) throw std::invalid_argument("PowerStft: window must have n_fft values");
  window_first_ = 0;
  window_end_ = n_fft;
  while (window_first_ < n_fft && window_[window_first_] == 0.0) ++window_first_;
  while (window_end_ > window_first_ && window_[window_end_ - 1] == 0.0) --window_end_;
}

PowerStft::Scratch PowerStft::make_scratch() const {
  return Scratch{std::vector<double>(n_fft(), 0.0), fft_.make_scratch()};
}

void PowerStft::frame_power(const PaddedSignal& signal, int t, double* power, Scratch& scratch) const {
  double* frame = scratch.frame.data();
  // Only the window's nonzero span is read; the zeros around it were written
  // once by make_scratch and are never touched.
  signal.read(std::size_t(t) * std::size_t(hop_) + window_first_, window_end_ - window_first_, frame + window_first_);
  for (int i = window_first_; i < window_end_; ++i) frame[i] *= window_[i];
  fft_.power(frame, power, scratch.fft);
}

}  // namespace soundlens::features
