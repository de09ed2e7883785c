#include "events/quality.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/error.h"
#include "features/fft.h"

namespace soundlens {
namespace {

std::string format(const char* pattern, double value) {
  char text[256];
  std::snprintf(text, sizeof text, pattern, value);
  return text;
}

}  // namespace

double bandwidth_hz(const Audio& audio, double floor) {
  constexpr int n = 2048;
  const features::RealFft fft(n);
  auto scratch = fft.make_scratch();
  std::vector<double> frame(n), power(std::size_t(fft.n_bins())), total(std::size_t(fft.n_bins()), 0.0);
  std::vector<double> hann(n);
  for (int i = 0; i < n; ++i) hann[std::size_t(i)] = 0.5 - 0.5 * std::cos(2 * M_PI * i / n);
  const std::size_t count = audio.samples.size();
  // Hann frames with half overlap; a recording shorter than one frame is zero-padded.
  for (std::size_t start = 0; start == 0 || start + n <= count; start += n / 2) {
    for (int i = 0; i < n; ++i)
      frame[std::size_t(i)] = start + i < count ? audio.samples[start + std::size_t(i)] * hann[std::size_t(i)] : 0.0;
    fft.power(frame.data(), power.data(), scratch);
    for (std::size_t k = 0; k < power.size(); ++k) total[k] += power[k];
  }
  double sum = 0;
  for (double v : total) sum += v;
  if (!(sum > 0)) return 0;
  double above = 0;  // energy in the bins above k
  for (std::size_t k = total.size(); k-- > 0;) {
    if (above + total[k] > floor * sum) return double(k + 1) * audio.sample_rate / n;
    above += total[k];
  }
  return 0;
}

double clipped_fraction(const Audio& audio, float level) {
  if (audio.samples.empty()) return 0;
  const auto clipped =
      std::count_if(audio.samples.begin(), audio.samples.end(), [&](float s) { return std::fabs(s) >= level; });
  return double(clipped) / double(audio.samples.size());
}

double silent_fraction(const Audio& audio, double silence_dbfs) {
  const std::size_t frame = std::max<std::size_t>(1, std::size_t(audio.sample_rate) / 20);  // 50 ms
  const double threshold = std::pow(10.0, silence_dbfs / 10.0);                             // mean square
  std::size_t frames = 0, silent = 0;
  for (std::size_t start = 0; start < audio.samples.size(); start += frame) {
    const std::size_t end = std::min(audio.samples.size(), start + frame);
    double energy = 0;
    for (std::size_t i = start; i < end; ++i) energy += double(audio.samples[i]) * audio.samples[i];
    ++frames;
    if (energy / double(end - start) < threshold) ++silent;
  }
  return frames ? double(silent) / double(frames) : 1.0;
}

namespace {
constexpr int kBandwidthFrame = 2048;
}

struct QualityMeter::State {
  int sample_rate;
  QualityOptions o;
  features::RealFft fft{kBandwidthFrame};
  features::RealFft::Scratch scratch = fft.make_scratch();
  std::vector<double> frame = std::vector<double>(kBandwidthFrame), hann = std::vector<double>(kBandwidthFrame);
  std::vector<double> power, total;
  std::vector<float> pending;  // the bandwidth's next frame onwards
  std::size_t bandwidth_frames = 0;
  std::size_t samples = 0, clipped = 0;
  std::size_t silence_frame = 1, in_frame = 0, frames = 0, silent = 0;
  double energy = 0, threshold = 0;

  void bandwidth_frame(std::size_t at = 0) {  // the frame from pending[at]
    for (std::size_t i = 0; i < std::size_t(kBandwidthFrame); ++i)
      frame[i] = at + i < pending.size() ? pending[at + i] * hann[i] : 0.0;
    fft.power(frame.data(), power.data(), scratch);
    for (std::size_t k = 0; k < power.size(); ++k) total[k] += power[k];
    ++bandwidth_frames;
  }
};

QualityMeter::QualityMeter(int sample_rate, const QualityOptions& options) : state_(new State{sample_rate, options}) {
  State& s = *state_;
  for (int i = 0; i < kBandwidthFrame; ++i) s.hann[std::size_t(i)] = 0.5 - 0.5 * std::cos(2 * M_PI * i / kBandwidthFrame);
  s.power.assign(std::size_t(s.fft.n_bins()), 0.0);
  s.total.assign(std::size_t(s.fft.n_bins()), 0.0);
  s.silence_frame = std::max<std::size_t>(1, std::size_t(std::max(sample_rate, 0)) / 20);  // 50 ms
  s.threshold = std::pow(10.0, options.silence_dbfs / 10.0);
}

QualityMeter::~QualityMeter() = default;

void QualityMeter::push(std::span<const float> block) {
  State& s = *state_;
  s.samples += block.size();
  for (float x : block) {
    if (std::fabs(x) >= s.o.clip_level) ++s.clipped;
    s.energy += double(x) * x;
    if (++s.in_frame == s.silence_frame) {
      ++s.frames;
      if (s.energy / double(s.in_frame) < s.threshold) ++s.silent;
      s.energy = 0;
      s.in_frame = 0;
    }
  }
  // Hann frames with half overlap, as bandwidth_hz takes them.
  s.pending.insert(s.pending.end(), block.begin(), block.end());
  std::size_t at = 0;
  for (; s.pending.size() - at >= std::size_t(kBandwidthFrame); at += kBandwidthFrame / 2)
    s.bandwidth_frame(at);
  s.pending.erase(s.pending.begin(), s.pending.begin() + std::ptrdiff_t(at));
}

AudioMeasures QualityMeter::finish() {
  State& s = *state_;
  AudioMeasures m;
  m.samples = s.samples;
  if (s.samples == 0) return m;
  if (s.bandwidth_frames == 0) s.bandwidth_frame();  // shorter than one frame: zero-padded
  if (s.in_frame > 0) {
    ++s.frames;
    if (s.energy / double(s.in_frame) < s.threshold) ++s.silent;
    s.in_frame = 0;
  }
  double sum = 0;
  for (double v : s.total) sum += v;
  m.bandwidth_hz = 0;
  if (sum > 0) {
    double above = 0;
    for (std::size_t k = s.total.size(); k-- > 0;) {
      if (above + s.total[k] > s.o.narrowband_floor * sum) {
        m.bandwidth_hz = double(k + 1) * s.sample_rate / kBandwidthFrame;
        break;
      }
      above += s.total[k];
    }
  }
  m.clipped_fraction = double(s.clipped) / double(s.samples);
  m.silent_fraction = s.frames ? double(s.silent) / double(s.frames) : 1.0;
  m.duration_s = s.sample_rate > 0 ? double(s.samples) / s.sample_rate : 0.0;
  return m;
}

std::vector<QualityFlag> quality_flags(const Audio& audio, const Analysis& analysis, const QualityOptions& o) {
  if (audio.samples.empty() || audio.sample_rate <= 0)
    throw Error(ErrorCode::empty_audio, "quality flags need the analysed samples");
  AudioMeasures m;
  m.samples = audio.samples.size();
  m.bandwidth_hz = bandwidth_hz(audio, o.narrowband_floor);
  m.clipped_fraction = clipped_fraction(audio, o.clip_level);
  m.silent_fraction = silent_fraction(audio, o.silence_dbfs);
  m.duration_s = audio.duration_s();
  return quality_flags(m, analysis, o);
}

std::vector<QualityFlag> quality_flags(const AudioMeasures& m, const Analysis& analysis, const QualityOptions& o) {
  if (m.samples == 0) throw Error(ErrorCode::empty_audio, "quality flags need the analysed samples");
  std::vector<QualityFlag> flags;

  const double bandwidth = m.bandwidth_hz;
  const bool narrow = bandwidth <= o.narrowband_cutoff_hz;
  flags.push_back(
      {"narrowband", narrow, bandwidth, "Hz",
       narrow ? format("Nothing above %.0f Hz (telephone band): classes that live in higher "
                       "frequencies may be missed and the map shows no relevance up there.",
                       bandwidth)
              : format("Energy reaches %.0f Hz: the recording is not band-limited like a telephone.", bandwidth)});

  const double clipped = m.clipped_fraction;
  const bool clipping = clipped > o.clipping_fraction;
  flags.push_back({"clipping", clipping, clipped, "fraction",
                   clipping
                       ? format("%.2f %% of the samples are at full scale: the loudest sounds are distorted, "
                                "which can change what the model hears.",
                                100 * clipped)
                       : format("%.2f %% of the samples are at full scale: no clipping to speak of.", 100 * clipped)});

  const double silent = m.silent_fraction;
  const bool mostly_silent = silent > o.mostly_silent_fraction;
  flags.push_back({"mostly_silent", mostly_silent, silent, "fraction",
                   mostly_silent ? format("%.0f %% of the recording is near silence: predictions rest on the few "
                                          "moments that hold sound.",
                                          100 * silent)
                                 : format("%.0f %% of the recording is near silence.", 100 * silent)});

  const double cell =
      analysis.explanations.empty() ? o.seconds_per_cell : analysis.explanations.front().cam.seconds_per_column;
  const bool short_clip = m.duration_s < cell;
  flags.push_back({"shorter_than_one_cell", short_clip, m.duration_s, "s",
                   short_clip ? format("The recording is shorter than one map column (%.2f s): the explanation "
                                       "cannot say when within it the model listened.",
                                       cell)
                              : format("The map resolves time in columns of %.2f s.", cell)});

  float best = 0;
  for (float p : analysis.probabilities) best = std::max(best, p);
  const bool low = best < o.low_confidence;
  flags.push_back({"low_confidence", low, best, "probability",
                   low ? format("No class reaches %.1f: the sound may be outside what the model knows, and every "
                                "prediction is uncertain.",
                                o.low_confidence)
                       : format("The top class reaches %.2f.", best)});
  return flags;
}

}  // namespace soundlens
