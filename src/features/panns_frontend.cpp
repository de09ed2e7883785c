// The PANNs front end (audioset_tagging_cnn Cnn14 with torchlibrosa's
// Spectrogram and LogmelFilterBank, ref 1.0, amin 1e-10, top_db None).
#include <algorithm>
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
constexpr int kMels = 64;
constexpr double kFmin = 50;
constexpr double kFmax = 14000;

class PannsFrontEnd final : public FrontEnd {
 public:
  PannsFrontEnd()
      : stft_(kFft, kHop, hann_periodic(kFft)), bank_(slaney_mel_banks(kMels, kFft, kSampleRate, kFmin, kFmax)) {}

  MelSpectrogram compute(std::span<const float> x) const override {
    if (x.empty()) throw Error(ErrorCode::empty_audio, "no audio samples to compute features from");
    const auto signal = PaddedSignal::plain(x, kFft / 2);
    return mel_frames(signal, stft_, bank_, kSampleRate,
                      [](double e) { return float(10.0 * std::log10(std::max(e, 1e-10))); });
  }

  int sample_rate() const override { return kSampleRate; }
  int hop_length() const override { return kHop; }
  int n_mels() const override { return kMels; }
  const MelFilterbank* mel_filterbank() const override { return &bank_; }
  std::vector<double> band_edges_hz() const override { return slaney_band_edges_hz(kMels, kFmin, kFmax); }
  std::string description() const override {
    return "PANNs: 1024-point STFT, periodic Hann, hop 320, centred (reflect), power, 64 Slaney mel bins "
           "50-14000 Hz, 10*log10(max(x, 1e-10))";
  }

 private:
  PowerStft stft_;
  MelFilterbank bank_;
};

}  // namespace

std::unique_ptr<FrontEnd> make_panns_frontend() { return std::make_unique<PannsFrontEnd>(); }

}  // namespace soundlens
