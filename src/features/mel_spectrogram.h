#pragma once
// Features stage: the log-mel front end each model was trained with.
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace soundlens {

namespace features {
class MelFilterbank;
}

// A log-mel spectrogram, row-major: row = mel bin (low to high), column = frame.
struct MelSpectrogram {
  int n_mels = 0;
  int n_frames = 0;
  double seconds_per_frame = 0;    // hop / sample rate
  std::vector<float> center_hz;    // centre frequency of each mel bin, for axes
  std::vector<float> values;       // n_mels * n_frames
  float at(int mel, int frame) const { return values[std::size_t(mel) * n_frames + frame]; }
};

// The rate of the samples every front end's compute() takes: the decoder's
// output, whatever rate the front end works at inside.
inline constexpr int kFrontEndInputRate = 32000;

// A front end is built once per model (filterbank, window) and is then
// thread-safe: compute() only reads its tables.
//
// compute() takes 32 kHz mono samples and gives 1 + n / hop frames (n after
// EfficientAT's pre-emphasis, which drops one sample), exactly as torch.stft
// with center=True. 0 samples throw Error(empty_audio). Frames are centred
// with reflect padding (512 samples each side); where torch would refuse
// (512 samples or fewer) the reflection is repeated, and a signal of 0 or 1
// samples after pre-emphasis is padded with zeros, so any non-empty input
// gives a finite spectrogram.
class FrontEnd {
 public:
  virtual ~FrontEnd() = default;
  virtual MelSpectrogram compute(std::span<const float> samples_32k) const = 0;
  // compute(samples_32k), for samples that continue an earlier window: it
  // started `shift_samples` before them, had `earlier_samples` samples (the
  // same ones where the two overlap) and the spectrogram `earlier`. A front end
  // whose frames depend only on the samples they read copies the frames both
  // read whole (EfficientAT: half of each 10 s window at a 5 s hop), bit for
  // bit what compute() gives; the others compute.
  virtual MelSpectrogram compute_after(std::span<const float> samples_32k, const MelSpectrogram& earlier,
                                       std::size_t earlier_samples, std::size_t shift_samples) const {
    (void)earlier, (void)earlier_samples, (void)shift_samples;
    return compute(samples_32k);
  }
  // The front end's own rate and hop, which count its frames: YAMNet decimates
  // to 16 kHz and hops 160 of those samples. Not the rate of what compute()
  // takes (always kFrontEndInputRate): count input samples with input_hop().
  virtual int sample_rate() const = 0;
  virtual int hop_length() const = 0;
  // One hop in the samples compute() takes (YAMNet: 320), and in seconds.
  std::size_t input_hop() const {
    return std::size_t(hop_length()) * std::size_t(kFrontEndInputRate) / std::size_t(sample_rate());
  }
  double seconds_per_frame() const { return double(hop_length()) / sample_rate(); }
  virtual int n_mels() const = 0;
  // n_mels + 1 frequencies, lowest first: the low edge (left foot) of each
  // mel band, then the high edge of the last. Rows of maps read their bands off these.
  virtual std::vector<double> band_edges_hz() const = 0;
  virtual std::string description() const = 0;  // human-readable summary for docs and JSON
  // The mel filterbank over the n_fft / 2 + 1 bins of a 1024-point STFT at
  // sample_rate(), for projecting a map back onto linear frequencies; null
  // when the front end has none.
  virtual const features::MelFilterbank* mel_filterbank() const { return nullptr; }
};

// EfficientAT: pre-emphasis 0.97, 1024-point FFT, 800-sample symmetric Hann,
// hop 320, centred (reflect), power, 128 Kaldi mel banks 0..15000 Hz,
// log(x + 1e-5), (x + 4.5) / 5.
std::unique_ptr<FrontEnd> make_efficientat_frontend(int n_mels = 128);

// PANNs: 1024-point STFT, hop 320, periodic Hann, centred (reflect), power,
// 64 Slaney mel bins 50..14000 Hz, 10*log10(max(x, 1e-10)).
std::unique_ptr<FrontEnd> make_panns_frontend();

}  // namespace soundlens
