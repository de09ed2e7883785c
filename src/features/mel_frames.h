#pragma once
// The loop both front ends share: frame, window, FFT, power, mel, then a
// per-value compression (log) chosen by the front end, written in the
// public [mel][frame] layout.
#include <vector>

#include "features/mel_filterbank.h"
#include "features/mel_spectrogram.h"
#include "features/padded_signal.h"
#include "features/power_stft.h"

namespace soundlens::features {

// The frames of an earlier signal's spectrogram that this one may copy: the
// earlier signal (`signal_size` samples, framed alike) starts `shift` hops
// before this one and holds the same samples where they overlap. A frame that
// reads only unpadded samples in both is the same frame, bit for bit.
struct EarlierFrames {
  const MelSpectrogram* spectrogram = nullptr;  // null: nothing to copy
  std::size_t signal_size = 0;
  int shift = 0;
};

// compress: double -> float applied to each mel energy. One frame per hop of
// the unpadded signal, plus one, as torch.stft(center=True) gives.
template <class Compress>
MelSpectrogram mel_frames(const PaddedSignal& signal, const PowerStft& stft, const MelFilterbank& bank,
                          double sample_rate, Compress compress, const EarlierFrames& earlier = {}) {
  const int n_frames = PowerStft::n_frames(signal.signal_size(), stft.hop());
  MelSpectrogram out;
  out.n_mels = bank.n_mels();
  out.n_frames = n_frames;
  out.seconds_per_frame = stft.hop() / sample_rate;
  out.center_hz = bank.center_hz();
  out.values.resize(std::size_t(out.n_mels) * std::size_t(n_frames));

  auto scratch = stft.make_scratch();
  std::vector<double> power(stft.n_bins());
  std::vector<double> mel(out.n_mels);
  // Frame t reads padded[t * hop, t * hop + n_fft): unpadded when that lies in [pad, pad + n).
  const auto unpadded = [&](int t, std::size_t n) {
    const std::size_t first = std::size_t(t) * std::size_t(stft.hop());
    return first >= std::size_t(signal.pad()) && first + std::size_t(stft.n_fft()) <= std::size_t(signal.pad()) + n;
  };
  const MelSpectrogram* before = earlier.spectrogram;
  for (int t = 0; t < n_frames; ++t) {
    const int u = t + earlier.shift;  // the same frame in the earlier spectrogram
    if (before && before->n_mels == out.n_mels && u >= 0 && u < before->n_frames && unpadded(t, signal.signal_size()) &&
        unpadded(u, earlier.signal_size)) {
      for (int m = 0; m < out.n_mels; ++m)
        out.values[std::size_t(m) * n_frames + t] = before->values[std::size_t(m) * before->n_frames + u];
      continue;
    }
    stft.frame_power(signal, t, power.data(), scratch);
    bank.apply(power.data(), mel.data());
    for (int m = 0; m < out.n_mels; ++m) out.values[std::size_t(m) * n_frames + t] = compress(mel[m]);
  }
  return out;
}

}  // namespace soundlens::features
