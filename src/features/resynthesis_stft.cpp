#include "features/resynthesis_stft.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "features/window.h"

namespace soundlens::features {

ResynthesisStft::ResynthesisStft(int n_fft, int hop) : fft_(n_fft), inverse_(n_fft), hop_(hop) {
  if (hop < 1 || (n_fft / 2) % hop != 0) throw std::invalid_argument("ResynthesisStft: hop must divide n_fft / 2");
  window_ = hann_periodic(n_fft);
  for (auto& w : window_) w = std::sqrt(w);
}

ComplexSpectrogram ResynthesisStft::analyse(std::span<const float> x) const {
  const int n = n_fft(), half = n / 2;
  ComplexSpectrogram s;
  s.frames = n_frames(x.size(), hop_);
  s.bins = n_bins();
  s.values.resize(std::size_t(s.frames) * s.bins);
  auto scratch = fft_.make_scratch();
  std::vector<double> frame(n);
  std::vector<std::complex<double>> bins(s.bins);
  const auto size = std::int64_t(x.size());
  for (int t = 0; t < s.frames; ++t) {
    const std::int64_t first = std::int64_t(t) * hop_ - half;
    for (int i = 0; i < n; ++i) {
      const std::int64_t p = first + i;
      frame[i] = p >= 0 && p < size ? double(x[p]) * window_[i] : 0.0;
    }
    fft_.forward(frame.data(), bins.data(), scratch);
    std::copy(bins.begin(), bins.end(), s.frame(t));
  }
  return s;
}

std::vector<float> ResynthesisStft::synthesise(const ComplexSpectrogram& s, std::size_t n_samples) const {
  const int n = n_fft(), half = n / 2;
  if (s.bins != n_bins() || s.frames != n_frames(n_samples, hop_))
    throw std::invalid_argument("ResynthesisStft: spectrum does not fit the signal length");
  std::vector<double> sum(n_samples, 0.0), weight(n_samples, 0.0);
  auto scratch = inverse_.make_scratch();
  std::vector<std::complex<double>> bins(s.bins);
  std::vector<double> frame(n);
  const auto size = std::int64_t(n_samples);
  for (int t = 0; t < s.frames; ++t) {
    std::copy(s.frame(t), s.frame(t) + s.bins, bins.begin());
    inverse_.inverse(bins.data(), frame.data(), scratch);
    const std::int64_t first = std::int64_t(t) * hop_ - half;
    const int i0 = int(std::max<std::int64_t>(0, -first));
    const int i1 = int(std::min<std::int64_t>(n, size - first));
    for (int i = i0; i < i1; ++i) {
      sum[first + i] += frame[i] * window_[i];
      weight[first + i] += window_[i] * window_[i];
    }
  }
  std::vector<float> out(n_samples);
  for (std::size_t i = 0; i < n_samples; ++i) out[i] = weight[i] > 0 ? float(sum[i] / weight[i]) : 0.0f;
  return out;
}

}  // namespace soundlens::features
