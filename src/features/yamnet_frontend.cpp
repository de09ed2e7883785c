#include "features/yamnet_frontend.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstddef>

#include "core/error.h"
#include "features/fft.h"
#include "features/halfband_decimator.h"

namespace soundlens {
namespace {

constexpr int kWindow = 400, kHop = 160, kFft = 512, kBins = kFft / 2 + 1, kMels = 64;
constexpr double kFmin = 125, kFmax = 7500, kLogOffset = 0.001;
constexpr std::size_t kMinSamples = 15600;  // (96 - 1) * 160 + 400: one patch
constexpr std::size_t kPatchHopSamples = 7680;  // 48 * 160

double hz_to_mel(double hz) { return 1127.0 * std::log1p(hz / 700.0); }
double mel_to_hz(double mel) { return 700.0 * std::expm1(mel / 1127.0); }

// One band's nonzero span of the (dense) matrix row, so that a frame costs a few hundred products.
struct Band {
  int first = 0;
  std::vector<double> weights;
  double offset = kLogOffset;
};

class YamnetFrontEndImpl final : public YamnetFrontEnd {
 public:
  explicit YamnetFrontEndImpl(YamnetFrontEndTables t) : fft_(kFft) {
    if (t.window.empty()) {
      for (int n = 0; n < kWindow; ++n) t.window.push_back(float(0.5 - 0.5 * std::cos(2 * M_PI * n / kWindow)));
    }
    if (t.mel_matrix.empty()) t.mel_matrix = yamnet_mel_matrix();
    if (t.mel_offset.empty()) t.mel_offset.assign(kMels, float(kLogOffset));
    if (t.window.size() != std::size_t(kWindow) || t.mel_matrix.size() != std::size_t(kMels * kBins) ||
        t.mel_offset.size() != std::size_t(kMels))
      throw Error(ErrorCode::model_not_loaded, "YAMNet front end tables of the wrong size");
    window_.assign(t.window.begin(), t.window.end());
    for (int m = 0; m < kMels; ++m) {
      const float* row = t.mel_matrix.data() + std::size_t(m) * kBins;
      int first = 0, last = kBins - 1;
      while (first < kBins && row[first] == 0) ++first;
      while (last > first && row[last] == 0) --last;
      Band b;
      b.first = first;
      b.weights.assign(row + first, row + std::max(first, last + 1));
      b.offset = t.mel_offset[std::size_t(m)];
      bands_.push_back(std::move(b));
    }
    const double lo = hz_to_mel(kFmin), hi = hz_to_mel(kFmax);
    for (int m = 0; m < kMels; ++m) center_hz_.push_back(float(mel_to_hz(lo + (hi - lo) * (m + 1) / (kMels + 1))));
  }

  MelSpectrogram compute(std::span<const float> x) const override {
    if (x.empty()) throw Error(ErrorCode::empty_audio, "no audio samples to compute features from");
    const auto y = decimator_.decimate(x);
    return compute_16k(y);
  }

  // The frames a window shares whole with the earlier one are copied when every 16 kHz sample they read
  // is a full sum of the decimator's taps over real samples in both windows (away from either window's
  // edges, where the taps reach its zero outside): the same value in both. The rest are computed, and
  // the decimator runs only where they read (YAMNet's 0.975 s windows every 0.48 s: 46 of 96 frames
  // copied, 54 % of the samples decimated).
  MelSpectrogram compute_after(std::span<const float> x, const MelSpectrogram& earlier, std::size_t earlier_samples,
                               std::size_t shift_samples) const override {
    constexpr std::size_t kInputHop = 2 * kHop;  // one frame in 32 kHz samples
    if (x.empty() || shift_samples % kInputHop != 0) return compute(x);
    const std::size_t reach = std::size_t(features::HalfbandDecimator::kHalfLength);
    const std::size_t outputs = (x.size() + 1) / 2, s = shift_samples / 2, f = shift_samples / kInputHop;
    MelSpectrogram out = empty_spectrogram(outputs);
    if (earlier.n_mels != kMels || earlier.n_frames != frames_of((earlier_samples + 1) / 2)) return compute(x);
    // Frame t reads y[160 t, 160 t + 400): copied from the earlier frame t + f when each of those samples
    // has its taps inside this window (2 i - reach >= 0, 2 i + reach < size) and inside the earlier one.
    const auto copied = [&](int t) {
      const std::size_t first = std::size_t(t) * kHop, last = first + kWindow - 1;
      return 2 * first >= reach && 2 * last + reach < x.size() && 2 * (last + s) + reach < earlier_samples &&
             t + int(f) < earlier.n_frames;
    };
    std::vector<float> y(outputs, 0.0f);  // only the samples the computed frames read are decimated
    Work work(fft_);
    for (int t = 0; t < out.n_frames;) {
      if (copied(t)) {
        for (int m = 0; m < kMels; ++m)
          out.values[std::size_t(m) * out.n_frames + std::size_t(t)] =
              earlier.values[std::size_t(m) * earlier.n_frames + std::size_t(t) + f];
        ++t;
        continue;
      }
      // A run of computed frames: the samples they read decimated at once, then the frames.
      int end = t + 1;
      while (end < out.n_frames && !copied(end)) ++end;
      decimator_.decimate_range(x, std::size_t(t) * kHop, std::size_t(end - 1) * kHop + kWindow, y);
      for (; t < end; ++t) frame(y, t, out, work);
    }
    return out;
  }

  MelSpectrogram compute_16k(std::span<const float> x) const override {
    if (x.empty()) throw Error(ErrorCode::empty_audio, "no audio samples to compute features from");
    MelSpectrogram out = empty_spectrogram(x.size());
    Work work(fft_);
    for (int t = 0; t < out.n_frames; ++t) frame(x, t, out, work);
    return out;
  }

  // hop_length() and sample_rate() are the front end's own (16 kHz): one frame is 10 ms.
  int sample_rate() const override { return kYamnetSampleRate; }
  int hop_length() const override { return kHop; }
  int n_mels() const override { return kMels; }
  // HTK mel: kMels + 2 points evenly spaced in mel from kFmin to kFmax; band m
  // rises from point m and falls to point m + 2.
  std::vector<double> band_edges_hz() const override {
    const auto mel = [](double hz) { return 1127.0 * std::log1p(hz / 700.0); };
    const auto hz = [](double m) { return 700.0 * std::expm1(m / 1127.0); };
    const double low = mel(kFmin), step = (mel(kFmax) - low) / (kMels + 1);
    std::vector<double> edges;
    for (int m = 0; m < kMels; ++m) edges.push_back(hz(low + m * step));
    edges.push_back(kFmax);
    return edges;
  }
  std::string description() const override {
    return "YAMNet: 32 kHz decimated to 16 kHz (207-tap Kaiser half-band low-pass), 400-sample periodic Hann, "
           "hop 160, not centred, end zero-padded to whole 0.96 s patches, 512-point FFT magnitude, 64 HTK mel "
           "bands 125-7500 Hz, log(mel + 0.001); patches of 96 frames every 48";
  }

 private:
  struct Work {
    explicit Work(const features::RealFft& fft) : scratch(fft.make_scratch()) {}
    features::RealFft::Scratch scratch;
    std::vector<double> frame = std::vector<double>(kFft, 0.0);
    std::vector<std::complex<double>> spectrum = std::vector<std::complex<double>>(kBins);
    std::vector<double> magnitude = std::vector<double>(kBins);
  };

  static int frames_of(std::size_t samples) { return int((yamnet_padded_samples(samples) - kWindow) / kHop + 1); }

  // The spectrogram's shape for `samples` 16 kHz samples (after the graph's padding), its values unset.
  MelSpectrogram empty_spectrogram(std::size_t samples) const {
    MelSpectrogram out;
    out.n_mels = kMels;
    out.n_frames = frames_of(samples);
    out.seconds_per_frame = double(kHop) / kYamnetSampleRate;
    out.center_hz = center_hz_;
    out.values.resize(std::size_t(kMels) * std::size_t(out.n_frames));
    return out;
  }

  // Frame t of the 16 kHz samples x (zero past their end) into out.
  void frame(std::span<const float> x, int t, MelSpectrogram& out, Work& w) const {
    const std::size_t start = std::size_t(t) * kHop;
    for (int i = 0; i < kWindow; ++i)  // samples past the end are the graph's zero padding
      w.frame[std::size_t(i)] = start + std::size_t(i) < x.size() ? window_[std::size_t(i)] * x[start + std::size_t(i)] : 0.0;
    fft_.forward(w.frame.data(), w.spectrum.data(), w.scratch);
    for (int k = 0; k < kBins; ++k) {  // sqrt(re^2 + im^2): std::abs's overflow-safe hypot costs 5x more
      const auto& z = w.spectrum[std::size_t(k)];
      w.magnitude[std::size_t(k)] = std::sqrt(z.real() * z.real() + z.imag() * z.imag());
    }
    for (int m = 0; m < kMels; ++m) {
      const auto& b = bands_[std::size_t(m)];
      double mel = 0;
      for (std::size_t k = 0; k < b.weights.size(); ++k) mel += b.weights[k] * w.magnitude[std::size_t(b.first) + k];
      out.values[std::size_t(m) * std::size_t(out.n_frames) + std::size_t(t)] = float(std::log(mel + b.offset));
    }
  }

  features::RealFft fft_;
  features::HalfbandDecimator decimator_;
  std::vector<double> window_;
  std::vector<Band> bands_;
  std::vector<float> center_hz_;
};

}  // namespace

std::size_t yamnet_padded_samples(std::size_t n) {
  if (n <= kMinSamples) return kMinSamples;
  const std::size_t hops = (n - kMinSamples + kPatchHopSamples - 1) / kPatchHopSamples;
  return kMinSamples + hops * kPatchHopSamples;
}

std::vector<float> yamnet_mel_matrix() {
  std::vector<float> w(std::size_t(kMels) * kBins, 0.0f);
  const double lo = hz_to_mel(kFmin), hi = hz_to_mel(kFmax);
  for (int m = 0; m < kMels; ++m) {
    const double left = lo + (hi - lo) * m / (kMels + 1);
    const double centre = lo + (hi - lo) * (m + 1) / (kMels + 1);
    const double right = lo + (hi - lo) * (m + 2) / (kMels + 1);
    for (int k = 1; k < kBins; ++k) {  // DC stays zero
      const double mel = hz_to_mel(k * (kYamnetSampleRate / 2.0) / (kBins - 1));
      const double v = std::min((mel - left) / (centre - left), (right - mel) / (right - centre));
      w[std::size_t(m) * kBins + std::size_t(k)] = float(std::max(0.0, v));
    }
  }
  return w;
}

std::unique_ptr<YamnetFrontEnd> make_yamnet_frontend(YamnetFrontEndTables tables) {
  return std::make_unique<YamnetFrontEndImpl>(std::move(tables));
}

}  // namespace soundlens
