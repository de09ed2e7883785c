#include "explain/masked_passes.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <utility>

#include "core/error.h"
#include "explain/faithfulness.h"
#include "model/inference_workers.h"

namespace soundlens::explain_detail {

std::vector<WindowPlan> plan_windows(const Model& model, const MelSpectrogram& recording, int window_frames,
                                     int hop_frames) {
  if (window_frames < 1 || hop_frames < 1)
    throw Error(ErrorCode::bad_request, "window and hop must be at least one frame");
  if (model.info().window_s > 0) {
    // A model with its own window (YAMNet: one 96-frame patch every 0.48 s) takes exactly that many
    // frames; a window of window_s seconds counted in frames (97.5 for YAMNet's 0.975 s) would not fit.
    window_frames = model.info().min_frames;
    hop_frames = std::max(1, int(std::lround(model.info().hop_s / recording.seconds_per_frame)));
  }
  const int n_frames = recording.n_frames;
  if (n_frames <= window_frames) return {{0, n_frames}};
  std::vector<WindowPlan> out;
  int start = 0;
  for (; start + window_frames < n_frames; start += hop_frames) out.push_back({start, window_frames});
  if (out.back().start != n_frames - window_frames) out.push_back({n_frames - window_frames, window_frames});
  return out;
}

int default_batch(const Model& model, const std::vector<WindowPlan>& windows) {
  constexpr int kBatchFrames = 10240;
  return std::max(1, kBatchFrames / std::max(windows.front().length, model.info().min_frames));
}

std::vector<int> order_cells(const std::vector<float>& values, bool descending) {
  std::vector<int> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return descending ? values[a] > values[b] : values[a] < values[b];
  });
  return order;
}

void check_map_classes(const CamMap& map, int classes) {
  if (map.class_index < 0 || map.class_index >= classes)
    throw Error(ErrorCode::not_found, "no class " + std::to_string(map.class_index));
  if (map.contrast_index >= classes || map.contrast_index == map.class_index || map.contrast_index < -1)
    throw Error(ErrorCode::bad_request, "contrast class " + std::to_string(map.contrast_index) +
                                            " must be another class than " + std::to_string(map.class_index));
}

double target_probability(std::span<const float> logits, int class_index, int contrast_index) {
  double target = double(logits[class_index]);
  if (contrast_index >= 0) target -= double(logits[contrast_index]);
  return 1.0 / (1.0 + std::exp(-target));
}

MaskedPasses::MaskedPasses(const Model& model, const MelSpectrogram& recording, const MapCells& cells,
                           std::vector<WindowPlan> windows, int class_index, int contrast_index, int batch,
                           const CancelToken* cancel)
    : model_(model), recording_(recording), cells_(cells), windows_(std::move(windows)), class_(class_index),
      contrast_(contrast_index), batch_(std::max(1, batch)), cancel_(cancel) {}

int MaskedPasses::add(std::vector<char> removed) {
  const auto found = slots_.find(removed);
  if (found != slots_.end()) return found->second;
  variants_.push_back(removed);
  slots_.emplace(std::move(removed), int(variants_.size()) - 1);
  return int(variants_.size()) - 1;
}

int MaskedPasses::add_first(const std::vector<int>& order, int k) {
  std::vector<char> removed(order.size(), 0);
  for (int i = 0; i < k; ++i) removed[order[i]] = 1;
  return add(std::move(removed));
}

void MaskedPasses::run() {
  clip_.resize(variants_.size(), 0.0);
  // The variants' windows in batches, side by side (one per inference thread, so at least that many
  // batches when there are enough windows); each item's probability, then each variant's maximum.
  const std::size_t first_variant = done_, windows = windows_.size();
  const std::size_t items = (variants_.size() - first_variant) * windows;
  if (items == 0) return;
  const std::size_t threads = std::size_t(std::max(1, inference_threads()));
  const std::size_t per_batch = std::min<std::size_t>(std::size_t(batch_), (items + threads - 1) / threads);
  const int batches = int((items + per_batch - 1) / per_batch);
  std::vector<double> probability(items);
  for_each_piece_side_by_side(batches, [&](int b) {
    check_cancel(cancel_);
    const std::size_t first = std::size_t(b) * per_batch, n = std::min(per_batch, items - first);
    std::vector<MelSpectrogram> inputs;
    for (std::size_t i = first; i < first + n; ++i)
      inputs.push_back(window_input(windows_[i % windows], variants_[first_variant + i / windows]));
    const auto pass = model_.forward(inputs);
    for (int i = 0; i < pass->windows(); ++i)
      probability[first + std::size_t(i)] = target_probability(pass->logits(i), class_, contrast_);
  });
  for (std::size_t i = 0; i < items; ++i) {
    auto& clip = clip_[first_variant + i / windows];
    clip = std::max(clip, probability[i]);
  }
  passes_ += int(items);
  done_ = variants_.size();
}

MelSpectrogram MaskedPasses::window_input(const WindowPlan& w, const std::vector<char>& removed) const {
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

std::string absent_class_message(double probability) {
  char text[240];
  std::snprintf(text, sizeof text,
                "the class scores %.3f on this clip (under %.2f): it is absent, so the map explains a class the "
                "model does not hear and the checks give no verdict",
                probability, kAbsentClassProbability);
  return text;
}

std::string shorter_than_a_cell_message(const MelSpectrogram& recording, const MapCells& cells) {
  char text[240];
  std::snprintf(text, sizeof text,
                "the clip (%.2f s) is shorter than one cell of the map (%.2f s): the map can only say which "
                "frequency bands were used, not when",
                recording.n_frames * recording.seconds_per_frame,
                cells.frames_per_column * recording.seconds_per_frame);
  return text;
}

}  // namespace soundlens::explain_detail
