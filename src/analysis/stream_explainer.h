#pragma once
// The maps of a streamed analysis, with the recording read once where the
// method allows it. Methods that read only the last block (Grad-CAM,
// Grad-CAM++: the head's backward pass over the pass the analysis already
// ran) explain, while the first reading goes, every class that ranks among
// the highest so far; a class joins when it rises there and is explained from
// then on. After the reading, the targets that joined late (or never), and
// every target of a costlier method, lack the leading windows: plan() says how
// many, and a second reading of that prefix only fills them in. The maps are
// those of explaining every window for the final targets: a column's value is
// the maximum over its windows, in whatever order they came.
#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "core/cancel_token.h"
#include "explain/explanation_method.h"

namespace soundlens {

class StreamExplainer {
 public:
  // `pinned`: classes asked for, explained from the first window; `candidates`:
  // how many of the highest-ranked classes are explained as the reading goes.
  StreamExplainer(const Model& model, const ExplanationMethod& method, int contrast, std::span<const int> pinned,
                  int candidates, const CancelToken* cancel);
  // First reading: one batch, after its probabilities raised `clip` (per class, the maximum so far; NaN: no output).
  void first_batch(const WindowBatch& batch, std::span<const double> starts_s, std::span<const float> clip);
  // After the first reading of `windows` windows: the classes whose maps are
  // wanted, in order. Returns how many leading windows a second reading must
  // bring (0: none).
  std::size_t plan(std::span<const int> targets, std::size_t windows);
  // Second reading: the batch whose first window is window `first` (counted from 0).
  void second_batch(const WindowBatch& batch, std::span<const double> starts_s, std::size_t first);
  // One map per target of plan(), in its order.
  std::vector<CamMap> finish(double duration_s);

 private:
  std::size_t join(int class_index);
  bool follow_;  // explains during the first reading
  int contrast_;
  int candidates_;
  RecordingExplainer explainer_;
  std::vector<std::size_t> joined_;  // per explainer target: windows explained before it joined
  std::size_t windows_ = 0;          // windows of the first reading explained
  std::vector<std::size_t> wanted_;  // per target of plan(): its explainer target
  std::vector<std::size_t> missing_; // per explainer target: leading windows still to explain
};

}  // namespace soundlens
