#pragma once
// Frame-level class evidence of one recording, from the analysis pass itself:
// each window's per-column class logits (ForwardPass::frame_logits) laid on
// the recording's grid of columns. Events are placed from it, so they need no
// second pass and no explanation method.
#include <span>
#include <vector>

namespace soundlens {

struct FrameEvidence {
  double seconds_per_frame = 0;  // one column of the last block
  int classes = 0;
  std::vector<float> probabilities;  // frames * classes, row-major; NaN: no output for the class
  // Each column's own evidence (the head on that column alone), where `probabilities` pools several
  // columns (ModelInfo::event_pool_columns): events are found on the pooled evidence and their
  // onsets and offsets placed on the columns'. Empty: `probabilities` are the columns' own.
  std::vector<float> columns;
  int frames() const { return classes > 0 ? int(probabilities.size() / std::size_t(classes)) : 0; }
};

// Windows overlap: a column seen by several windows gets the mean of their
// probabilities (a column at a window's edge sees padding; the mean keeps one
// window's edge from deciding alone).
class FrameStitcher {
 public:
  FrameStitcher(double seconds_per_frame, int classes);
  // One window starting at start_s: its columns' logits (columns * classes) and, when the
  // evidence pools columns, each column's own (the same shape; empty otherwise).
  void add(double start_s, std::span<const float> logits, std::span<const float> column_logits = {});
  // The evidence over [0, duration_s).
  FrameEvidence finish(double duration_s) &&;

 private:
  double spf_;
  int classes_;
  std::vector<float> sum_;
  std::vector<float> column_sum_;
  std::vector<int> seen_;  // per frame
};

}  // namespace soundlens
