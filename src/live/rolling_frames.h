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
  // One window [start_s, end_s): all its class probabilities and its columns' logits (columns * classes).
  void add_window(double start_s, double end_s, std::span<const float> probabilities,
                  std::span<const float> frame_logits);
  using Emit = std::function<void(std::span<const float> probabilities, std::span<const char> present)>;
  // Frames before `before` (no later window reaches them) to emit, in order, then forgotten.
  void settle(int before, const Emit& emit);
  // The first frame no window can reach any more once windows start at or after start_s.
  int settled_before(double next_start_s) const;
  // The frames of a stream of duration_s, as FrameStitcher::finish counts them.
  int frames_of(double duration_s) const;
  int settled() const { return base_; }
  std::size_t held() const { return rows_.size(); }  // frames kept

 private:
  struct Row {
    std::vector<float> sum;
    std::vector<char> present;
    int seen = 0;
  };
  Row& row(int frame);
  double spf_;
  int classes_;
  double high_, low_;
  std::vector<char> heard_;
  std::deque<Row> rows_;  // frames base_ ..
  int base_ = 0;
  int stitched_ = 0;  // frames some window's columns reached (FrameStitcher's seen_.size())
};

}  // namespace soundlens
