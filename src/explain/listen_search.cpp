#include "explain/listen_search.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>

#include "core/error.h"
#include "explain/faithfulness.h"
#include "explain/map_cells.h"
#include "explain/masked_passes.h"

namespace soundlens {
namespace {

using namespace explain_detail;
using Clock = std::chrono::steady_clock;

// Round 1 probes the ranking at these shares of the spectrogram; if none keeps
// the class, round 2 probes above half. Each refinement puts kRefineProbes
// probes inside the bracket (largest failing, smallest passing), at most
// kRefineRounds times or until the bracket is under kResolution of the area.
constexpr double kFirstProbes[] = {1.0 / 32, 1.0 / 16, 1.0 / 8, 1.0 / 4, 1.0 / 2};
constexpr double kAboveHalfProbes[] = {5.0 / 8, 3.0 / 4, 7.0 / 8};
constexpr int kRefineProbes = 5;
constexpr int kRefineRounds = 2;
constexpr double kResolution = 0.005;
// The audio check may find the resynthesis short of the model-input search:
// the set then grows by the last bracket (at least kGrowth of the area), at most kGrowSteps times.
constexpr double kGrowth = 0.02;
constexpr int kGrowSteps = 2;

// The clip probability of each recording (same model windows as the search), in one batched run.
std::vector<double> audio_probabilities(const Model& model, const std::vector<std::vector<float>>& parts,
                                        const CamMap& map, const ListenSearchOptions& o, int* passes) {
  std::vector<double> out;
  for (const auto& samples : parts) {
    const MelSpectrogram spec = model.frontend().compute(samples);
    const MapCells cells = map_cells(map, spec.n_mels, spec.seconds_per_frame);
    auto windows = plan_windows(model, spec, o.window_frames, o.hop_frames);
    const int batch = default_batch(model, windows);
    MaskedPasses runner(model, spec, cells, std::move(windows), map.class_index, map.contrast_index, batch, o.cancel);
    const int whole = runner.add(std::vector<char>(std::size_t(cells.rows) * cells.cols, 0));
    runner.run();
    out.push_back(runner.clip(whole));
    *passes += runner.passes();
  }
  return out;
}

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
  if (map.class_index < 0 || map.class_index >= classes)
    throw Error(ErrorCode::not_found, "no class " + std::to_string(map.class_index));
  if (map.contrast_index >= classes || map.contrast_index == map.class_index || map.contrast_index < -1)
    throw Error(ErrorCode::bad_request, "contrast class " + std::to_string(map.contrast_index) +
                                            " must be another class than " + std::to_string(map.class_index));
  const FrontEnd& fe = model.frontend();
  if (fe.mel_filterbank() == nullptr)
    throw Error(ErrorCode::bad_request, "this model's front end cannot be listened through");
  const MelSpectrogram recording = fe.compute(samples);
  const MapCells cells = map_cells(map, recording.n_mels, recording.seconds_per_frame);
  const int n = cells.rows * cells.cols;

  // Each cell's share of the spectrogram: its mel bins times its frames inside the recording.
  std::vector<double> area(std::size_t(n), 0.0);
  double total = 0;
  for (int r = 0; r < cells.rows; ++r)
    for (int c = 0; c < cells.cols; ++c) {
      const int frames =
          std::max(0, std::min((c + 1) * cells.frames_per_column, recording.n_frames) - c * cells.frames_per_column);
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
  const auto keep_first = [&](int k) {
    std::vector<char> keep(std::size_t(n), 0);
    for (int i = 0; i < k; ++i) keep[order[i]] = 1;
    return keep;
  };
  const auto remove_all_but_first = [&](int k) {
    std::vector<char> removed(std::size_t(n), 1);
    for (int i = 0; i < k; ++i) removed[order[i]] = 0;
    return removed;
  };

  auto windows = plan_windows(model, recording, o.window_frames, o.hop_frames);
  MaskedPasses runner(model, recording, cells, windows, map.class_index, map.contrast_index,
                      default_batch(model, windows), o.cancel);
  ListenResult r;
  r.keep_fraction = o.keep_fraction;
  r.cells = n;
  const int whole = runner.add(std::vector<char>(std::size_t(n), 0));
  runner.run();
  r.probability = runner.clip(whole);
  const auto finish = [&](int k) {
    r.kept_cells = k;
    r.kept_fraction = cum[k];
    r.audio = listen_cells(samples, map, keep_first(k), fe);
    const auto p = audio_probabilities(model, {r.audio.kept, r.audio.removed}, map, o, &r.passes);
    r.kept_probability = p[0];
    r.removed_probability = p[1];
    r.keeps_class = r.kept_probability >= o.keep_fraction * r.probability;
    r.under_half = r.keeps_class && r.kept_fraction <= 0.5 + 1e-9;
  };
  if (map.contrast_index < 0 && r.probability < kAbsentClassProbability) {
    // Nothing to keep: the audio is the map's top half, for listening, with no verdict.
    r.absent_class = true;
    r.message = absent_class_message(r.probability);
    finish(k_at(0.5));
    r.keeps_class = r.under_half = false;
    r.passes += runner.passes();
    return r;
  }

  const double target = o.keep_fraction * r.probability;
  // Probes k (cells kept from the top of the ranking); passing: the model input keeps the class.
  const auto probe = [&](const std::vector<int>& ks) {
    std::vector<std::pair<int, int>> slots;
    for (int k : ks) slots.push_back({k, runner.add(remove_all_but_first(k))});
    runner.run();
    std::vector<std::pair<int, bool>> out;
    for (auto [k, slot] : slots) out.push_back({k, runner.clip(slot) >= target});
    return out;
  };
  const auto check_time = [&](int passes_left) {
    if (o.time_limit_s <= 0 || runner.passes() == 0) return;
    const double spent = std::chrono::duration<double>(Clock::now() - t0).count();
    const double needed = spent / runner.passes() * passes_left * runner.windows();
    if (spent + needed > o.time_limit_s) {
      char text[300];
      std::snprintf(text, sizeof text,
                    "listening to this map would take about %.0f s more (%d forward passes of %d window%s), longer "
                    "than %s (%g s)",
                    needed, passes_left * runner.windows(), runner.windows(), runner.windows() == 1 ? "" : "s",
                    o.limit_name.c_str(), o.time_limit_s);
      throw Error(ErrorCode::too_long, text);
    }
  };
  const auto bracket = [&](const std::vector<std::pair<int, bool>>& results, int& lo, int& hi) {
    for (auto [k, passes] : results)
      if (passes && k < hi) hi = k;
    for (auto [k, passes] : results)
      if (k < hi && k > lo) lo = k;
  };
  const auto distinct = [&](std::vector<int> ks) {
    std::sort(ks.begin(), ks.end());
    ks.erase(std::unique(ks.begin(), ks.end()), ks.end());
    std::erase_if(ks, [&](int k) { return k < 1 || k >= n; });
    return ks;
  };

  check_time(kListenSearchMaxPasses - 1);
  int lo = 0, hi = n;  // hi keeps the class by definition (nothing removed)
  std::vector<int> ks;
  for (double share : kFirstProbes) ks.push_back(k_at(share));
  bracket(probe(distinct(ks)), lo, hi);
  if (hi > k_at(0.5)) {
    ks.clear();
    for (double share : kAboveHalfProbes) ks.push_back(k_at(share));
    lo = std::max(lo, k_at(0.5));
    bracket(probe(distinct(ks)), lo, hi);
  }
  for (int round = 0; round < kRefineRounds && hi - lo > 1 && cum[hi] - cum[lo] > kResolution; ++round) {
    ks.clear();
    for (int i = 1; i <= kRefineProbes; ++i) ks.push_back(lo + int(std::lround(double(hi - lo) * i / (kRefineProbes + 1))));
    bracket(probe(distinct(ks)), lo, hi);
  }
  r.passes += runner.passes();
  finish(hi);
  // The search ran on the model's input; the audio can fall a little short. Grow the set.
  const double growth = std::max(kGrowth, cum[hi] - cum[lo]);
  for (int step = 0; step < kGrowSteps && !r.keeps_class && r.kept_cells < n; ++step)
    finish(std::max(r.kept_cells + 1, k_at(cum[r.kept_cells] + growth)));
  r.message = describe(r);
  return r;
}

}  // namespace soundlens
