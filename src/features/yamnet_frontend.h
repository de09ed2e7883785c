#pragma once
// YAMNet's front end (tensorflow/models research/audioset/yamnet, features.py
// in its TFLite-compatible form, which is the graph inside yamnet.tflite):
// 16 kHz; frames of 400 samples every 160 (not centred); periodic Hann;
// 512-point FFT magnitude (not power); 64 HTK mel bands 125-7500 Hz;
// log(mel + 0.001). Before framing, the waveform is zero-padded at the end
// the way the graph pads it: to at least 15600 samples (one 96-frame patch),
// then to a whole number of 7680-sample (48-frame) patch hops. So a
// spectrogram always has 96 + 48k frames, the patches being frames
// [48p, 48p + 96).
//
// compute() takes 32 kHz samples (what the audio stage delivers) and first
// decimates them 2:1 (features/halfband_decimator.h).
#include <memory>
#include <span>
#include <vector>

#include "features/mel_spectrogram.h"

namespace soundlens {

inline constexpr int kYamnetSampleRate = 16000;
inline constexpr int kYamnetPatchFrames = 96;
inline constexpr int kYamnetPatchHopFrames = 48;

// The tables the TFLite graph holds; any left empty are computed here
// (periodic Hann; tf.signal.linear_to_mel_weight_matrix; 0.001).
struct YamnetFrontEndTables {
  std::vector<float> window;      // 400
  std::vector<float> mel_matrix;  // 64 x 257, band-major
  std::vector<float> mel_offset;  // 64
};

class YamnetFrontEnd : public FrontEnd {
 public:
  virtual MelSpectrogram compute_16k(std::span<const float> samples_16k) const = 0;
};

std::unique_ptr<YamnetFrontEnd> make_yamnet_frontend(YamnetFrontEndTables tables = {});

// tf.signal.linear_to_mel_weight_matrix(64, 257, 16000, 125, 7500), computed in
// double, band-major (64 x 257): HTK mel 1127 ln(1 + f / 700), bin k at
// k * 8000 / 256 Hz, triangles of peak 1, bin 0 (DC) zero.
std::vector<float> yamnet_mel_matrix();

// The number of 16 kHz samples after the graph's padding, and the frames that gives.
std::size_t yamnet_padded_samples(std::size_t samples_16k);

}  // namespace soundlens
