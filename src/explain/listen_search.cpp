#include "explain/listen_search.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <string>

#include "core/error.h"
#include "explain/faithfulness.h"
#include "explain/map_cells.h"
#include "explain/masked_passes.h"
#include "features/mel_filterbank.h"
#include "features/resynthesis_stft.h"

namespace soundlens {
namespace {

using namespace explain_detail;
using Clock = std::chrono::steady_clock;

// The search probes one part at a time (on 2 cores a batch of 10 s windows
// costs about as much per window as single passes, so probing several parts
// at once only spends passes). A part's probability does not grow steadily
// with its size (keeping more of what the map ranks low can dilute the class:
// Speech 0.69 on a cough recording's top 12 %, 0.12 on its top 50 %), so it
// climbs a ladder of shares from the smallest and stops at the first part that
// keeps the class, then halves the bracket (by area) with the probes left:
// kMaxProbes in all, or until the bracket is under kResolution of the area.
constexpr double kLadder[] = {1.0 / 16, 1.0 / 8, 1.0 / 4, 1.0 / 2, 3.0 / 4};
constexpr int kMaxProbes = kListenSearchMaxPasses - 2;
constexpr double kResolution = 0.005;
constexpr int kListenFft = 1024, kListenHop = 256;  // as listen()

// The class's clip probability on pieces of audio of the recording's length, each cut into the same
// windows, all in one batched run.
class AudioProber {
 public:
  AudioProber(const Model& model, const CamMap& map, const ListenSearchOptions& o)
      : model_(model), map_(map), o_(o) {}

  std::vector<double> run(const std::vector<const std::vector<float>*>& parts) {
    std::vector<MelSpectrogram> inputs;
    std::vector<std::size_t> owner;
    std::vector<double> clip(parts.size(), 0.0);
    auto flush = [&] {
      if (inputs.empty()) return;
      check_cancel(o_.cancel);
      const auto pass = model_.forward(inputs);
      for (int i = 0; i < pass->windows(); ++i)
        clip[owner[i]] = std::max(clip[owner[i]], target_probability(pass->logits(i), map_.class_index,
                                                                     map_.contrast_index));
      passes_ += pass->windows();
      inputs.clear();
      owner.clear();
    };
    for (std::size_t p = 0; p < parts.size(); ++p) {
      const MelSpectrogram spec = model_.frontend().compute(*parts[p]);
      if (windows_.empty()) {
        windows_ = plan_windows(model_, spec, o_.window_frames, o_.hop_frames);
        batch_ = default_batch(model_, windows_);
      }
      for (const auto& w : windows_) {
        MelSpectrogram x;
        x.n_mels = spec.n_mels;
        x.n_frames = std::max(w.length, model_.info().min_frames);
        x.seconds_per_frame = spec.seconds_per_frame;
        x.values.assign(std::size_t(x.n_mels) * x.n_frames, model_.info().silence_floor);
        for (int m = 0; m < x.n_mels; ++m)
          std::copy_n(spec.values.data() + std::size_t(m) * spec.n_frames + w.start, w.length,
                      x.values.data() + std::size_t(m) * x.n_frames);
        inputs.push_back(std::move(x));
        owner.push_back(p);
        if (int(inputs.size()) == batch_) flush();
      }
    }
    flush();
    return clip;
  }
  int passes() const { return passes_; }
  int windows() const { return std::max(1, int(windows_.size())); }

 private:
  const Model& model_;
  const CamMap& map_;
  const ListenSearchOptions& o_;
  std::vector<WindowPlan> windows_;
  int batch_ = 1, passes_ = 0;
};

std::string percent(double share) {
  char text[32];
  std::snprintf(text, sizeof text, "%.0f %%", 100 * share);
  return text;
}

std::string describe(const ListenResult& r) {
  char text[400];
  if (r.absent_class) return r.message;
  if (r.under_half) {
    std::snprintf(text, sizeof text,
                  "the map's top %s of the spectrogram keeps the class at %.3f of its %.3f (at least %s asked); "
                  "the rest scores %.3f",
                  percent(r.kept_fraction).c_str(), r.kept_probability, r.probability,
                  percent(r.keep_fraction).c_str(), r.removed_probability);
  } else {
    std::snprintf(text, sizeof text,
                  "no part of the map under half of the spectrogram keeps the class at %s of its probability "
                  "%.3f: the map does not single out what the model used (its top %s %s %.3f; the rest scores %.3f)",
                  percent(r.keep_fraction).c_str(), r.probability, percent(r.kept_fraction).c_str(),
                  r.keeps_class ? "keeps it at" : "still scores only", r.kept_probability, r.removed_probability);
  }
  return text;
}

}  // namespace

ListenAudio listen_cells(std::span<const float> samples, const CamMap& map, const std::vector<char>& kept,
                         const FrontEnd& frontend) {
  if (kept.size() != map.values.size())
    throw Error(ErrorCode::bad_request, "listening: the kept cells do not match the map's cells");
  CamMap binary = map;
  for (std::size_t i = 0; i < kept.size(); ++i) binary.values[i] = kept[i] ? 1.0f : 0.0f;
  return listen(samples, binary, frontend);
}

ListenResult listen_search(const Model& model, std::span<const float> samples, const CamMap& map,
                           const ListenSearchOptions& o) {
  const auto t0 = Clock::now();
  if (samples.empty()) throw Error(ErrorCode::empty_audio, "no audio samples to listen to");
  if (!(o.keep_fraction > 0 && o.keep_fraction <= 1))
    throw Error(ErrorCode::bad_request, "listening: the fraction of the probability to keep must be in (0, 1]");
  const int classes = model.info().num_classes;
  explain_detail::check_map_classes(map, classes);
  const FrontEnd& fe = model.frontend();
  if (fe.mel_filterbank() == nullptr)
    throw Error(ErrorCode::bad_request, "this model's front end cannot be listened through");
  if (fe.mel_filterbank()->n_bins() != kListenFft / 2 + 1)
    throw Error(ErrorCode::internal, "listening: the front end's filterbank has another FFT size");
  const int n_frames = int(samples.size() / fe.input_hop()) + 1;  // the front end's frames (centred)
  const MapCells cells = map_cells(map, fe.n_mels(), fe.seconds_per_frame());
  const int n = cells.rows * cells.cols;

  // Each cell's share of the spectrogram: its mel bins times its frames inside the recording.
  std::vector<double> area(std::size_t(n), 0.0);
  double total = 0;
  for (int r = 0; r < cells.rows; ++r)
    for (int c = 0; c < cells.cols; ++c) {
      const int frames =
          std::max(0, std::min((c + 1) * cells.frames_per_column, n_frames) - c * cells.frames_per_column);
      total += area[std::size_t(r) * cells.cols + c] =
          double(cells.row_first_mel[r + 1] - cells.row_first_mel[r]) * frames;
    }
  const std::vector<int> order = order_cells(map.values, true);
  std::vector<double> cum(std::size_t(n) + 1, 0.0);  // cum[k]: share of the first k cells of the ranking
  for (int k = 0; k < n; ++k) cum[k + 1] = cum[k] + area[order[k]] / total;
  const auto k_at = [&](double share) {  // the fewest cells that cover share of the spectrogram
    const auto it = std::lower_bound(cum.begin() + 1, cum.end(), share - 1e-12);
    return std::min(n, int(it - cum.begin()));
  };

  // One analysis STFT; each probe is its mask, one inverse STFT and the front end.
  static const features::ResynthesisStft stft(kListenFft, kListenHop);
  const features::ComplexSpectrogram spectrum = stft.analyse(samples);
  CamMap binary = map;
  const auto kept_audio = [&](int k) {
    std::fill(binary.values.begin(), binary.values.end(), 0.0f);
    for (int i = 0; i < k; ++i) binary.values[std::size_t(order[i])] = 1.0f;
    const auto mask = listening_mask(binary, fe, spectrum.frames, stft.hop());
    auto masked = spectrum;
    for (std::size_t i = 0; i < mask.size(); ++i) masked.values[i] *= mask[i];
    return stft.synthesise(masked, samples.size());
  };
  AudioProber prober(model, map, o);
  ListenResult r;
  r.keep_fraction = o.keep_fraction;
  r.cells = n;
  const std::vector<float> original(samples.begin(), samples.end());
  r.probability = prober.run({&original}).front();
  const auto finish = [&](int k, std::vector<float> kept, std::optional<double> kept_probability) {
    r.kept_cells = k;
    r.kept_fraction = cum[std::size_t(k)];
    r.audio.sample_rate = fe.sample_rate();
    r.audio.removed.resize(samples.size());
    // The synthesis is linear and gives the input back unmasked: removed = input - kept.
    for (std::size_t i = 0; i < samples.size(); ++i) r.audio.removed[i] = samples[i] - kept[i];
    r.audio.kept = std::move(kept);
    if (kept_probability) {
      r.kept_probability = *kept_probability;
      r.removed_probability = prober.run({&r.audio.removed}).front();
    } else {
      const auto p = prober.run({&r.audio.kept, &r.audio.removed});
      r.kept_probability = p[0];
      r.removed_probability = p[1];
    }
    r.keeps_class = r.kept_probability >= o.keep_fraction * r.probability;
    r.under_half = r.keeps_class && r.kept_fraction <= 0.5 + 1e-9;
    r.passes = prober.passes();
  };
  if (map.contrast_index < 0 && r.probability < kAbsentClassProbability) {
    // Nothing to keep: the audio is the map's top half, for listening, with no verdict.
    r.absent_class = true;
    r.message = absent_class_message(r.probability);
    const int half = k_at(0.5);
    finish(half, kept_audio(half), std::nullopt);
    r.keeps_class = r.under_half = false;
    return r;
  }

  const double target = o.keep_fraction * r.probability;
  // Probes k (cells kept from the top of the ranking), each heard: its audio keeps the class or not.
  std::map<int, std::pair<double, std::vector<float>>> heard;  // k -> probability, audio
  const auto probe = [&](const std::vector<int>& ks) {
    std::vector<int> fresh;
    for (int k : ks)
      if (!heard.count(k)) fresh.push_back(k);
    std::vector<std::vector<float>> audio;
    for (int k : fresh) audio.push_back(kept_audio(k));
    std::vector<const std::vector<float>*> parts;
    for (const auto& a : audio) parts.push_back(&a);
    const auto p = prober.run(parts);
    for (std::size_t i = 0; i < fresh.size(); ++i) heard[fresh[i]] = {p[i], std::move(audio[i])};
    std::vector<std::pair<int, bool>> out;
    for (int k : ks) out.push_back({k, heard[k].first >= target});
    return out;
  };
  const auto check_time = [&](int passes_left) {
    if (o.time_limit_s <= 0 || prober.passes() == 0) return;
    const double spent = std::chrono::duration<double>(Clock::now() - t0).count();
    const double needed = spent / prober.passes() * passes_left * prober.windows();
    if (spent + needed > o.time_limit_s) {
      char text[300];
      std::snprintf(text, sizeof text,
                    "listening to this map would take about %.0f s more (%d forward passes of %d window%s), longer "
                    "than %s (%g s)",
                    needed, passes_left * prober.windows(), prober.windows(), prober.windows() == 1 ? "" : "s",
                    o.limit_name.c_str(), o.time_limit_s);
      throw Error(ErrorCode::too_long, text);
    }
  };
  check_time(kListenSearchMaxPasses - 1);
  int lo = 0, hi = n;  // lo: the largest part known to fail (none kept fails); hi: the smallest known to keep
  int probes = 0;
  const auto keeps = [&](int k) {
    ++probes;
    return probe({k}).front().second;
  };
  for (double share : kLadder) {
    const int k = k_at(share);
    if (k <= lo || k >= hi) continue;
    if (keeps(k)) {
      hi = k;
      break;
    }
    lo = k;
  }
  while (probes < kMaxProbes && hi - lo > 1 && cum[hi] - cum[lo] > kResolution) {
    const int k = std::clamp(k_at((cum[lo] + cum[hi]) / 2), lo + 1, hi - 1);
    if (keeps(k)) hi = k;
    else lo = k;
  }
  if (hi == n) finish(n, std::vector<float>(samples.begin(), samples.end()), r.probability);
  else finish(hi, std::move(heard[hi].second), heard[hi].first);
  r.message = describe(r);
  return r;
}

}  // namespace soundlens
