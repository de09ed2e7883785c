#pragma once
// The clip probability of a recording's spectrogram with some of a map's cells
// set to the model's silence floor: what faithfulness (cells removed) and the
// listening search (cells kept) are made of. Internal to the explain stage.
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "core/cancel_token.h"
#include "explain/map_cells.h"
#include "model/model.h"

namespace soundlens::explain_detail {

struct WindowPlan {
  int start = 0, length = 0;
};

// The analysis' windows, in frames (analysis/windowing.cpp, plan_windows); a
// model with its own window (ModelInfo::window_s > 0, YAMNet) is cut into its
// own: min_frames frames every hop_s. Error(bad_request) for bad sizes.
std::vector<WindowPlan> plan_windows(const Model& model, const MelSpectrogram& recording, int window_frames,
                                     int hop_frames);

// The default batch: about 10240 frames, ten 10 s windows (measured on 2 cores
// on 2026-12-06: one 10 s window 9.9 ms of CPU, ten in one pass 6.4 ms each;
// faithfulness of one 10 s map 156 ms at batch 1, 141 at 2, 126 at 10).
int default_batch(const Model& model, const std::vector<WindowPlan>& windows);

// Cell indices by value, highest first (descending) or lowest first; equal
// values keep row-major order.
std::vector<int> order_cells(const std::vector<float>& values, bool descending);

// Variants of the recording, each a set of removed cells, queued with add()
// (the same set twice is one variant, run once), then run() in batches.
class MaskedPasses {
 public:
  MaskedPasses(const Model& model, const MelSpectrogram& recording, const MapCells& cells,
               std::vector<WindowPlan> windows, int class_index, int contrast_index, int batch,
               const CancelToken* cancel);

  // removed[cell] != 0: the cell is set to the silence floor. Returns the variant's slot.
  int add(std::vector<char> removed);
  // The variant that removes the first k cells of order.
  int add_first(const std::vector<int>& order, int k);
  // Runs the variants queued since the last run(); clip(slot) is then known.
  void run();
  double clip(int slot) const { return clip_.at(std::size_t(slot)); }
  int windows() const { return int(windows_.size()); }
  int passes() const { return passes_; }  // windows run so far, all variants

 private:
  MelSpectrogram window_input(const WindowPlan& w, const std::vector<char>& removed) const;

  const Model& model_;
  const MelSpectrogram& recording_;
  const MapCells& cells_;
  std::vector<WindowPlan> windows_;
  int class_, contrast_, batch_;
  const CancelToken* cancel_;
  std::vector<std::vector<char>> variants_;
  std::map<std::vector<char>, int> slots_;
  std::vector<double> clip_;
  std::size_t done_ = 0;
  int passes_ = 0;
};

// Plain words for the checks' results (faithfulness, listening).
std::string absent_class_message(double probability);
std::string shorter_than_a_cell_message(const MelSpectrogram& recording, const MapCells& cells);

// A map's class (and contrast class) must be classes of the model: Error(not_found) for an unknown
// class, Error(bad_request) for a contrast that is not another class.
void check_map_classes(const CamMap& map, int classes);

// Sigmoid of the explained score in one window's logits.
double target_probability(std::span<const float> logits, int class_index, int contrast_index);

}  // namespace soundlens::explain_detail
