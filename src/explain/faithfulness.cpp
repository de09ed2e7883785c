#include "explain/faithfulness.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <string>
#include <utility>

#include "core/error.h"
#include "explain/map_cells.h"

namespace soundlens {
namespace {

constexpr int kSteps = 10;
constexpr int kBatchFrames = 2048;

// splitmix64 (Steele et al. 2014): a fixed, portable sequence, so that the
// Python reference draws the same random map.
std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Cell indices by value; equal values keep row-major order.
template <class T>
std::vector<int> order_by(const std::vector<T>& values, bool descending) {
  std::vector<int> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return descending ? values[a] > values[b] : values[a] < values[b];
  });
  return order;
}

struct WindowPlan {
  int start = 0, length = 0;
};

// The analysis' windows, in frames (analysis/windowing.cpp, plan_windows).
std::vector<WindowPlan> plan(int n_frames, int window_frames, int hop_frames) {
  if (n_frames <= window_frames) return {{0, n_frames}};
  std::vector<WindowPlan> out;
  int start = 0;
  for (; start + window_frames < n_frames; start += hop_frames) out.push_back({start, window_frames});
  if (out.back().start != n_frames - window_frames) out.push_back({n_frames - window_frames, window_frames});
  return out;
}

// Clip probabilities of spectrogram variants, each a set of removed cells.
class DeletionRunner {
 public:
  DeletionRunner(const Model& model, const MelSpectrogram& recording, const MapCells& cells,
                 std::vector<WindowPlan> windows, int class_index, int contrast_index, int batch,
                 const CancelToken* cancel)
      : model_(model), recording_(recording), cells_(cells), windows_(std::move(windows)),
        class_(class_index), contrast_(contrast_index), batch_(std::max(1, batch)), cancel_(cancel) {}

  // The variant that removes the first k cells of order; the same set of
  // cells (by any order) is one variant, run once. Returns its slot.
  int add(const std::vector<int>& order, int k) {
    std::vector<char> removed(order.size(), 0);
    for (int i = 0; i < k; ++i) removed[order[i]] = 1;
    const auto found = slots_.find(removed);
    if (found != slots_.end()) return found->second;
    variants_.push_back(removed);
    slots_.emplace(std::move(removed), int(variants_.size()) - 1);
    return int(variants_.size()) - 1;
  }

  // Runs every queued variant; result[slot] is its clip probability.
  std::vector<double> run() const {
    const int per_variant = int(windows_.size());
    std::vector<double> clip(variants_.size(), 0.0);
    std::vector<MelSpectrogram> inputs;
    std::vector<int> owner;
    auto flush = [&] {
      if (inputs.empty()) return;
      check_cancel(cancel_);
      const auto pass = model_.forward(inputs);
      for (int i = 0; i < pass->windows(); ++i) {
        const auto logits = pass->logits(i);
        double target = double(logits[class_]);
        if (contrast_ >= 0) target -= double(logits[contrast_]);
        clip[owner[i]] = std::max(clip[owner[i]], 1.0 / (1.0 + std::exp(-target)));
      }
      inputs.clear();
      owner.clear();
    };
    for (std::size_t v = 0; v < variants_.size(); ++v)
      for (int w = 0; w < per_variant; ++w) {
        inputs.push_back(window_input(windows_[w], variants_[v]));
        owner.push_back(int(v));
        if (int(inputs.size()) == batch_) flush();
      }
    flush();
    return clip;
  }

 private:
  MelSpectrogram window_input(const WindowPlan& w, const std::vector<char>& removed) const {
    const float floor = model_.info().silence_floor;
    const int frames = std::max(w.length, model_.info().min_frames);
    MelSpectrogram x;
    x.n_mels = recording_.n_mels;
    x.n_frames = frames;
    x.seconds_per_frame = recording_.seconds_per_frame;
    x.values.assign(std::size_t(x.n_mels) * frames, floor);
    for (int m = 0; m < x.n_mels; ++m) {
      const float* src = recording_.values.data() + std::size_t(m) * recording_.n_frames + w.start;
      std::copy(src, src + w.length, x.values.data() + std::size_t(m) * frames);
    }
    const int fpc = cells_.frames_per_column;
    for (int cell = 0; cell < int(removed.size()); ++cell) {
      if (!removed[cell]) continue;
      const int row = cell / cells_.cols, col = cell % cells_.cols;
      const int first = std::max(col * fpc, w.start) - w.start;
      const int last = std::min((col + 1) * fpc, w.start + w.length) - w.start;
      if (first >= last) continue;  // the cell lies outside this window
      for (int m = cells_.row_first_mel[row]; m < cells_.row_first_mel[row + 1]; ++m)
        std::fill_n(x.values.data() + std::size_t(m) * frames + first, last - first, floor);
    }
    return x;
  }

  const Model& model_;
  const MelSpectrogram& recording_;
  const MapCells& cells_;
  std::vector<WindowPlan> windows_;
  int class_, contrast_, batch_;
  const CancelToken* cancel_;
  std::vector<std::vector<char>> variants_;
  std::map<std::vector<char>, int> slots_;
};

double trapezoid(const std::vector<double>& x, const std::vector<double>& y, double scale) {
  double area = 0;
  for (std::size_t i = 1; i < x.size(); ++i) area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2;
  return scale > 0 ? area / scale : 0.0;
}

}  // namespace

Faithfulness faithfulness(const Model& model, const MelSpectrogram& recording, int window_frames, int hop_frames,
                          const CamMap& map, std::uint64_t seed, int batch, const CancelToken* cancel) {
  const int classes = model.info().num_classes;
  if (map.class_index < 0 || map.class_index >= classes)
    throw Error(ErrorCode::not_found, "no class " + std::to_string(map.class_index));
  if (map.contrast_index >= classes || map.contrast_index == map.class_index || map.contrast_index < -1)
    throw Error(ErrorCode::bad_request, "contrast class " + std::to_string(map.contrast_index) +
                                            " must be another class than " + std::to_string(map.class_index));
  if (window_frames < 1 || hop_frames < 1)
    throw Error(ErrorCode::bad_request, "faithfulness: window and hop must be at least one frame");
  if (recording.n_frames < 1 || recording.n_mels != model.frontend().n_mels() ||
      recording.values.size() != std::size_t(recording.n_mels) * std::size_t(recording.n_frames))
    throw Error(ErrorCode::bad_request, "faithfulness: the spectrogram does not fit the model");
  if (model.info().window_s > 0) {
    // A model with its own window (YAMNet: one 96-frame patch every 0.48 s) takes exactly that many
    // frames; a window of window_s seconds counted in frames (97.5 for YAMNet's 0.975 s) would not fit.
    window_frames = model.info().min_frames;
    hop_frames = std::max(1, int(std::lround(model.info().hop_s / recording.seconds_per_frame)));
  }
  const MapCells cells = map_cells(map, recording.n_mels, recording.seconds_per_frame);
  const int n = cells.rows * cells.cols;

  std::vector<std::uint64_t> random(n);
  for (int i = 0; i < n; ++i) random[i] = splitmix64(seed + std::uint64_t(i));
  const std::vector<std::vector<int>> orders = {order_by(map.values, true), order_by(map.values, false),
                                                order_by(random, true), order_by(random, false)};
  std::vector<int> removed(kSteps + 1);
  for (int i = 0; i <= kSteps; ++i) removed[i] = int((std::int64_t(i) * n + kSteps / 2) / kSteps);

  auto windows = plan(recording.n_frames, window_frames, hop_frames);
  if (batch <= 0) batch = std::max(1, kBatchFrames / std::max(windows.front().length, model.info().min_frames));
  // Curves share inputs (no cell, every cell, and any set two orders agree on): each runs once.
  DeletionRunner runner(model, recording, cells, std::move(windows), map.class_index, map.contrast_index, batch,
                        cancel);
  std::vector<std::vector<int>> curve_slots(orders.size());
  for (std::size_t o = 0; o < orders.size(); ++o)
    for (int k : removed) curve_slots[o].push_back(runner.add(orders[o], k));
  const auto clip = runner.run();

  Faithfulness f;
  for (int k : removed) f.steps.push_back(double(k) / n);
  std::vector<std::vector<double>> curves(orders.size());
  for (std::size_t o = 0; o < orders.size(); ++o)
    for (int s : curve_slots[o]) curves[o].push_back(clip[s]);
  const double original = clip[curve_slots[0][0]];
  f.morf = curves[0];
  f.lerf = curves[1];
  f.morf_auc = trapezoid(f.steps, f.morf, original);
  f.lerf_auc = trapezoid(f.steps, f.lerf, original);
  f.score = f.lerf_auc - f.morf_auc;
  f.random_score = trapezoid(f.steps, curves[3], original) - trapezoid(f.steps, curves[2], original);
  return f;
}

}  // namespace soundlens
