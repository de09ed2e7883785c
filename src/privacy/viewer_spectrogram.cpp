#include "privacy/viewer_spectrogram.h"

#include <algorithm>
#include <cmath>

namespace soundlens {

MelSpectrogram coarse_spectrogram(const MelSpectrogram& mel, int max_bands, double min_seconds_per_frame) {
  if (mel.n_mels <= 0 || mel.n_frames <= 0) return mel;
  const int band_group = (mel.n_mels + std::max(1, max_bands) - 1) / std::max(1, max_bands);
  const int frame_group = mel.seconds_per_frame > 0
                              ? std::max(1, int(std::ceil(min_seconds_per_frame / mel.seconds_per_frame - 1e-9)))
                              : 1;
  MelSpectrogram out;
  out.n_mels = (mel.n_mels + band_group - 1) / band_group;
  out.n_frames = (mel.n_frames + frame_group - 1) / frame_group;
  out.seconds_per_frame = mel.seconds_per_frame * frame_group;
  out.values.assign(std::size_t(out.n_mels) * out.n_frames, 0.0f);
  for (int b = 0; b < out.n_mels; ++b) {
    const int m0 = b * band_group, m1 = std::min(mel.n_mels, m0 + band_group);
    if (int(mel.center_hz.size()) >= m1) {
      double hz = 0;
      for (int m = m0; m < m1; ++m) hz += mel.center_hz[m];
      out.center_hz.push_back(float(hz / (m1 - m0)));
    }
    for (int c = 0; c < out.n_frames; ++c) {
      const int f0 = c * frame_group, f1 = std::min(mel.n_frames, f0 + frame_group);
      double sum = 0;
      for (int m = m0; m < m1; ++m)
        for (int f = f0; f < f1; ++f) sum += mel.at(m, f);
      out.values[std::size_t(b) * out.n_frames + c] = float(sum / ((m1 - m0) * (f1 - f0)));
    }
  }
  return out;
}

}  // namespace soundlens
