#pragma once
// The signal torch.stft(center=True, pad_mode='reflect') frames, read on
// demand: y (the input, or its pre-emphasis) with `pad` samples mirrored on
// each side. Nothing is copied up front, so a 10 s clip costs no extra
// megabytes per call, and frames away from the edges read y directly.
#include <cstddef>
#include <cstdint>
#include <span>

namespace soundlens::features {

// Edge policy. torch refuses signals with n <= pad; soundlens must still
// analyse them (0.1 s clips; a single sample must not crash), so:
//  - n > pad: exactly torch's 'reflect' (edge sample not repeated);
//  - 2 <= n <= pad: the reflection is continued by reflecting again at each
//    end (y extended as if periodic with period 2(n - 1)), which agrees with
//    torch wherever torch is defined and stays continuous;
//  - n <= 1: there is nothing to mirror, so the padding is zeros.
class PaddedSignal {
 public:
  // y[n] = x[n]: n = x.size().
  static PaddedSignal plain(std::span<const float> x, int pad) { return {x, pad, 0, 0.0}; }
  // y[n] = x[n + 1] - coefficient * x[n], the 'valid' conv1d with kernel
  // [-coefficient, 1]: one sample shorter than x.
  static PaddedSignal pre_emphasised(std::span<const float> x, int pad, double coefficient) {
    return {x, pad, 1, coefficient};
  }

  std::size_t signal_size() const { return n_; }
  int pad() const { return pad_; }
  std::size_t padded_size() const { return n_ + 2 * std::size_t(pad_); }

  // out[i] = padded[start + i] for i < count (start + count <= padded_size()).
  void read(std::size_t start, int count, double* out) const;

 private:
  PaddedSignal(std::span<const float> x, int pad, int shift, double coefficient);
  double y(std::size_t n) const { return double(x_[n + shift_]) - coefficient_ * double(x_[n]); }
  double padded(std::int64_t p) const;  // any p in [0, padded_size())

  std::span<const float> x_;
  std::size_t n_;
  int pad_;
  int shift_;
  double coefficient_;
};

}  // namespace soundlens::features
