#include "live/rolling_frames.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace soundlens {

RollingFrames::RollingFrames(double seconds_per_frame, int classes, std::span<const int> asked, double high,
                             double low)
    : spf_(seconds_per_frame),
      classes_(classes),
      high_(high),
      low_(low),
      heard_(std::size_t(std::max(classes, 0)), 0),
      gated_unheard_(heard_.size(), 0) {
  if (!(spf_ > 0) || classes < 1) throw Error(ErrorCode::internal, "rolling frames: bad grid");
  for (int c : asked)
    if (c >= 0 && c < classes) heard_[std::size_t(c)] = 1;
}

RollingFrames::Row& RollingFrames::row(int frame) {
  while (int(rows_.size()) <= frame - base_)
    rows_.push_back({std::vector<float>(std::size_t(classes_), 0.0f), std::vector<char>(std::size_t(classes_), 0), {}, 0});
  return rows_[std::size_t(frame - base_)];
}

void RollingFrames::add_window(double start_s, double end_s, std::span<const float> probabilities,
                               std::span<const float> frame_logits, std::span<const float> column_logits) {
  // FrameStitcher::add: the first column at the nearest column of the grid.
  const std::size_t columns = frame_logits.size() / std::size_t(classes_);
  const int first = int(std::max(0L, std::lround(start_s / spf_)));
  for (std::size_t c = 0; c < columns; ++c) {
    if (first + int(c) < base_) continue;  // settled early (LiveSettings::settle_s): final as it was
    Row& r = row(first + int(c));
    const float* in = frame_logits.data() + c * std::size_t(classes_);
    for (int k = 0; k < classes_; ++k) r.sum[std::size_t(k)] += 1.0f / (1.0f + std::exp(-in[k]));
    if (column_logits.size() == frame_logits.size()) {
      r.column_sum.resize(std::size_t(classes_), 0.0f);
      const float* own = column_logits.data() + c * std::size_t(classes_);
      for (int k = 0; k < classes_; ++k) r.column_sum[std::size_t(k)] += 1.0f / (1.0f + std::exp(-own[k]));
    }
    ++r.seen;
  }
  stitched_ = std::max(stitched_, first + int(columns));
  // window_presence: frames floor(start) .. ceil(end) - 1 of a window that hears the class.
  if (probabilities.size() != std::size_t(classes_)) return;
  const int from = std::max(base_, int(std::floor(start_s / spf_)));
  const int to = int(std::ceil(end_s / spf_)) - 1;
  for (int c = 0; c < classes_; ++c) {
    const float p = probabilities[std::size_t(c)];
    if (p >= high_ && !heard_[std::size_t(c)]) {
      heard_[std::size_t(c)] = 1;
      if (gated_unheard_[std::size_t(c)]) heard_late_.push_back(c);
    }
    if (!(p >= low_)) continue;
    for (int t = from; t <= to; ++t) row(t).present[std::size_t(c)] = 1;
  }
}

int RollingFrames::settled_before(double next_start_s) const {
  // A later window's columns start at lround(start / spf), its presence at floor(start / spf).
  return std::max(0, int(std::floor(next_start_s / spf_)));
}

int RollingFrames::frames_of(double duration_s) const {
  return std::min(stitched_, int(std::max(1.0, std::ceil(duration_s / spf_ - 1e-9))));
}

void RollingFrames::settle(int before, const Emit& emit) {
  std::vector<float> mean(static_cast<std::size_t>(classes_));
  std::vector<char> present(static_cast<std::size_t>(classes_));
  std::vector<float> columns;
  while (base_ < before) {
    Row& r = row(base_);
    columns.resize(r.column_sum.size());
    for (std::size_t k = 0; k < columns.size(); ++k) columns[k] = r.column_sum[k] / float(std::max(1, r.seen));
    for (int k = 0; k < classes_; ++k) {
      mean[std::size_t(k)] = r.sum[std::size_t(k)] / float(std::max(1, r.seen));  // NaN stays NaN
      present[std::size_t(k)] = char(r.present[std::size_t(k)] && heard_[std::size_t(k)]);
      const float low = event_low_.empty() ? 0.0f : event_low_[std::size_t(k)];
      if (r.present[std::size_t(k)] && !heard_[std::size_t(k)] && mean[std::size_t(k)] >= low)
        gated_unheard_[std::size_t(k)] = 1;
    }
    emit(mean, present, columns);
    rows_.pop_front();
    ++base_;
  }
}

}  // namespace soundlens
