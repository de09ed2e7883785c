#include "explain/faithfulness.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <string>
#include <utility>

#include "core/error.h"
#include "explain/map_cells.h"
#include "explain/masked_passes.h"

namespace soundlens {
namespace {

using namespace explain_detail;

constexpr int kSteps = kFaithfulnessSteps;

// splitmix64 (Steele et al. 2014): a fixed, portable sequence, so that the
// Python reference draws the same random map.
std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Cell indices by value; equal values keep row-major order.
std::vector<int> order_by(const std::vector<std::uint64_t>& values, bool descending) {
  std::vector<int> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return descending ? values[a] > values[b] : values[a] < values[b];
  });
  return order;
}

double trapezoid(const std::vector<double>& x, const std::vector<double>& y, double scale) {
  double area = 0;
  for (std::size_t i = 1; i < x.size(); ++i) area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2;
  return scale > 0 ? area / scale : 0.0;
}

}  // namespace

Faithfulness faithfulness(const Model& model, const MelSpectrogram& recording, int window_frames, int hop_frames,
                          const CamMap& map, std::uint64_t seed, int batch, const CancelToken* cancel) {
  const int classes = model.info().num_classes;
  explain_detail::check_map_classes(map, classes);
  if (recording.n_frames < 1 || recording.n_mels != model.frontend().n_mels() ||
      recording.values.size() != std::size_t(recording.n_mels) * std::size_t(recording.n_frames))
    throw Error(ErrorCode::bad_request, "faithfulness: the spectrogram does not fit the model");
  if (window_frames < 1 || hop_frames < 1)
    throw Error(ErrorCode::bad_request, "faithfulness: window and hop must be at least one frame");
  const MapCells cells = map_cells(map, recording.n_mels, recording.seconds_per_frame);
  const int n = cells.rows * cells.cols;

  std::vector<std::uint64_t> random(n);
  for (int i = 0; i < n; ++i) random[i] = splitmix64(seed + std::uint64_t(i));
  const std::vector<std::vector<int>> orders = {order_cells(map.values, true), order_cells(map.values, false),
                                                order_by(random, true), order_by(random, false)};
  std::vector<int> removed(kSteps + 1);
  for (int i = 0; i <= kSteps; ++i) removed[i] = int((std::int64_t(i) * n + kSteps / 2) / kSteps);

  auto windows = plan_windows(model, recording, window_frames, hop_frames);
  if (batch <= 0) batch = default_batch(model, windows);
  // Curves share inputs (no cell, every cell, and any set two orders agree on): each runs once.
  MaskedPasses runner(model, recording, cells, std::move(windows), map.class_index, map.contrast_index, batch,
                      cancel);
  Faithfulness f;
  // The unmasked recording first: an absent class stops there.
  const int whole = runner.add(std::vector<char>(std::size_t(n), 0));
  runner.run();
  f.probability = runner.clip(whole);
  if (recording.n_frames < cells.frames_per_column) f.message = shorter_than_a_cell_message(recording, cells);
  if (map.contrast_index < 0 && f.probability < kAbsentClassProbability) {
    f.absent_class = true;
    f.message = absent_class_message(f.probability) + (f.message.empty() ? "" : "; " + f.message);
    return f;
  }
  std::vector<std::vector<int>> curve_slots(orders.size());
  for (std::size_t o = 0; o < orders.size(); ++o)
    for (int k : removed) curve_slots[o].push_back(runner.add_first(orders[o], k));
  runner.run();
  const auto clip = [&](int slot) { return runner.clip(slot); };

  for (int k : removed) f.steps.push_back(double(k) / n);
  std::vector<std::vector<double>> curves(orders.size());
  for (std::size_t o = 0; o < orders.size(); ++o)
    for (int s : curve_slots[o]) curves[o].push_back(clip(s));
  const double original = clip(curve_slots[0][0]);
  f.morf = curves[0];
  f.lerf = curves[1];
  f.morf_auc = trapezoid(f.steps, f.morf, original);
  f.lerf_auc = trapezoid(f.steps, f.lerf, original);
  f.score = f.lerf_auc - f.morf_auc;
  f.random_score = trapezoid(f.steps, curves[3], original) - trapezoid(f.steps, curves[2], original);
  return f;
}

}  // namespace soundlens
