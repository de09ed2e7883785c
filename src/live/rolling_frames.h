#pragma once
// The frame evidence of a stream's windows so far, laid on the frames' grid
// exactly as the offline analysis lays it (FrameStitcher: each window's first
// column at the nearest column, a column's probability the mean over the
// windows that cover it; window_presence: where some covering window hears the
// class), held only for the frames a later window may still change.
#include <deque>
#include <functional>
#include <span>
#include <vector>

namespace soundlens {

class RollingFrames {
 public:
  // high, low: window_presence's thresholds; asked: the pinned classes (heard from the start).
  RollingFrames(double seconds_per_frame, int classes, std::span<const int> asked, double high, double low);
  // One window [start_s, end_s): all its class probabilities and its columns' logits (columns * classes)
  // and, where those pool columns (ModelInfo::event_pool_columns), each column's own (same shape; else empty).
  // Columns over frames already settled are left out (frames settled before every window was in).
  void add_window(double start_s, double end_s, std::span<const float> probabilities,
                  std::span<const float> frame_logits, std::span<const float> column_logits = {});
  // columns: each column's own evidence (empty when the window gave none), as FrameEvidence::columns.
  using Emit = std::function<void(std::span<const float> probabilities, std::span<const char> present,
                                  std::span<const float> columns)>;
  // Frames before `before` (no later window reaches them) to emit, in order, then forgotten.
  void settle(int before, const Emit& emit);
  // The first frame no window can reach any more once windows start at or after start_s.
  int settled_before(double next_start_s) const;
  // The frames of a stream of duration_s, as FrameStitcher::finish counts them.
  int frames_of(double duration_s) const;
  int settled() const { return base_; }
  int stitched() const { return stitched_; }  // frames some window's columns reached
  std::size_t held() const { return rows_.size(); }  // frames kept
  // Classes first heard (a window reaching `high`) after settled frames where windows had them at
  // `low` and the frame reached the class's event low (set_event_lows): offline, hearing them
  // anywhere lets those frames in, where they might start an event; a stream had to gate them out.
  const std::vector<int>& heard_late() const { return heard_late_; }
  void set_event_lows(std::vector<float> lows) { event_low_ = std::move(lows); }
  // A class pinned from now on counts as heard (as `asked` at the start): its frames not yet settled count.
  void hear(int c) {
    if (c >= 0 && c < classes_) heard_[std::size_t(c)] = 1;
  }

 private:
  struct Row {
    std::vector<float> sum;
    std::vector<char> present;
    std::vector<float> column_sum;  // empty: no column evidence
    int seen = 0;
  };
  Row& row(int frame);
  double spf_;
  int classes_;
  double high_, low_;
  std::vector<char> heard_;
  std::vector<char> gated_unheard_;  // a settled frame had the class present but not yet heard
  std::vector<int> heard_late_;
  std::vector<float> event_low_;  // per class; empty: 0
  std::deque<Row> rows_;  // frames base_ ..
  int base_ = 0;
  int stitched_ = 0;  // frames some window's columns reached (FrameStitcher's seen_.size())
};

}  // namespace soundlens
