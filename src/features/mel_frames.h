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

// compress: double -> float applied to each mel energy. One frame per hop of
// the unpadded signal, plus one, as torch.stft(center=True) gives.
template <class Compress>
MelSpectrogram mel_frames(const PaddedSignal& signal, const PowerStft& stft, const MelFilterbank& bank,
                          double sample_rate, Compress compress) {
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
  for (int t = 0; t < n_frames; ++t) {
    stft.frame_power(signal, t, power.data(), scratch);
    bank.apply(power.data(), mel.data());
    for (int m = 0; m < out.n_mels; ++m) out.values[std::size_t(m) * n_frames + t] = compress(mel[m]);
  }
  return out;
}

}  // namespace soundlens::features
