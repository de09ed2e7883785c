// EfficientAT's front end (models/preprocess.py, AugmentMelSTFT in eval mode).
#include <cmath>
#include <string>

#include "core/error.h"
#include "features/mel_banks.h"
#include "features/mel_frames.h"
#include "features/mel_spectrogram.h"
#include "features/padded_signal.h"
#include "features/power_stft.h"
#include "features/window.h"

namespace soundlens {

namespace {

using namespace features;

constexpr int kSampleRate = 32000;
constexpr int kFft = 1024;
constexpr int kHop = 320;
constexpr int kWindow = 800;
// The model's default fmax is sr/2 - fmax_aug_range/2 with fmax_aug_range 2000.
constexpr double kFmax = kSampleRate / 2 - 1000;
// The training code holds the coefficient in a float32 tensor; using the same
// rounded value keeps us bit-closer to what the network saw.
constexpr double kPreemphasis = double(0.97f);

class EfficientAtFrontEnd final : public FrontEnd {
 public:
  explicit EfficientAtFrontEnd(int n_mels)
      : n_mels_(n_mels),
        stft_(kFft, kHop, centre_in_fft(hann_symmetric(kWindow), kFft)),
        bank_(kaldi_mel_banks(n_mels, kFft, kSampleRate, 0.0, kFmax)) {}

  MelSpectrogram compute(std::span<const float> x) const override { return frames(x, {}); }

  MelSpectrogram compute_after(std::span<const float> x, const MelSpectrogram& earlier, std::size_t earlier_samples,
                               std::size_t shift_samples) const override {
    // Pre-emphasis reads a sample and the next, both in the window: the same y where they overlap.
    if (shift_samples % kHop != 0 || earlier_samples < 2) return frames(x, {});
    return frames(x, {&earlier, earlier_samples - 1, int(shift_samples / kHop)});
  }

  int sample_rate() const override { return kSampleRate; }

 private:
  MelSpectrogram frames(std::span<const float> x, const EarlierFrames& earlier) const {
    if (x.empty()) throw Error(ErrorCode::empty_audio, "no audio samples to compute features from");
    // Pre-emphasis is EfficientAT's 'valid' conv1d: one sample shorter than
    // the input, so a single sample leaves an empty signal that is all
    // padding (one frame of log(1e-5)).
    const auto signal = PaddedSignal::pre_emphasised(x, kFft / 2, kPreemphasis);
    return mel_frames(signal, stft_, bank_, kSampleRate,
                      [](double e) { return float((std::log(e + 1e-5) + 4.5) / 5.0); }, earlier);
  }

 public:
  int hop_length() const override { return kHop; }
  int n_mels() const override { return n_mels_; }
  const MelFilterbank* mel_filterbank() const override { return &bank_; }
  std::vector<double> band_edges_hz() const override { return kaldi_band_edges_hz(n_mels_, 0.0, kFmax); }
  std::string description() const override {
    return "EfficientAT: pre-emphasis 0.97, 1024-point FFT, 800-sample symmetric Hann, hop 320, centred (reflect), "
           "power, " + std::to_string(n_mels_) + " Kaldi mel bins 0-15000 Hz, log(x + 1e-5), (x + 4.5) / 5";
  }

 private:
  int n_mels_;
  PowerStft stft_;
  MelFilterbank bank_;
};

}  // namespace

std::unique_ptr<FrontEnd> make_efficientat_frontend(int n_mels) {
  return std::make_unique<EfficientAtFrontEnd>(n_mels);
}

}  // namespace soundlens
