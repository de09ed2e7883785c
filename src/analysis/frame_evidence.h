#pragma once
// Frame-level class evidence of one recording, from the analysis pass itself:
// each window's per-column class logits (ForwardPass::frame_logits) laid on
// the recording's grid of columns. Events are placed from it, so they need no
// second pass and no explanation method.
#include <functional>
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
//
// Held whole, the evidence of 8 hours is 90,000 frames x 527 classes, twice
// (pooled and columns): 380 MB. Given a sink, each frame goes to it as soon as
// no later window can change it (windows come in order of their start) and
// only the frames a window may still reach are held.
class FrameStitcher {
 public:
  // One settled frame: its probabilities and, when the evidence pools columns, its columns' own
  // (empty otherwise); `classes` values each, exactly as FrameEvidence would hold them.
  using FrameSink = std::function<void(std::span<const float> probabilities, std::span<const float> columns)>;
  // Without a sink the evidence is held whole for finish().
  FrameStitcher(double seconds_per_frame, int classes, FrameSink sink = nullptr);
  // One window starting at start_s: its columns' logits (columns * classes) and, when the
  // evidence pools columns, each column's own (the same shape; empty otherwise).
  void add(double start_s, std::span<const float> logits, std::span<const float> column_logits = {});
  // The evidence over [0, duration_s). With a sink, the frames not yet given go to it, and the
  // evidence returned is the grid alone (seconds_per_frame, classes; no values).
  FrameEvidence finish(double duration_s) &&;

 private:
  void settle_before(std::size_t frame);  // with a sink: frames before `frame` to it
  double spf_;
  int classes_;
  FrameSink sink_;
  std::size_t base_ = 0;  // the first frame held (frames before it went to the sink)
  std::vector<float> sum_;         // frames base_.. * classes
  std::vector<float> column_sum_;  // the same, or empty
  std::vector<int> seen_;          // per frame from base_
};

}  // namespace soundlens
