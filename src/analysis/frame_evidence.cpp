#include "analysis/frame_evidence.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace soundlens {

FrameStitcher::FrameStitcher(double seconds_per_frame, int classes, FrameSink sink)
    : spf_(seconds_per_frame), classes_(classes), sink_(std::move(sink)) {}

namespace {

void add_probabilities(std::vector<float>& sum, std::size_t first, std::span<const float> logits, int classes) {
  const std::size_t columns = logits.size() / std::size_t(classes);
  sum.resize(std::max(sum.size(), (first + columns) * std::size_t(classes)), 0.0f);
  for (std::size_t c = 0; c < columns; ++c) {
    float* row = sum.data() + (first + c) * std::size_t(classes);
    const float* in = logits.data() + c * std::size_t(classes);
    for (int k = 0; k < classes; ++k) row[k] += 1.0f / (1.0f + std::exp(-in[k]));  // NaN stays NaN
  }
}

// The first `frames` frames' sums become means; `truncate`: the rest dropped.
void divide(std::vector<float>& sum, const std::vector<int>& seen, std::size_t frames, int classes, bool truncate) {
  if (sum.empty()) return;
  for (std::size_t f = 0; f < frames; ++f)
    for (int k = 0; k < classes; ++k) sum[f * classes + k] /= float(std::max(1, seen[f]));
  if (truncate) sum.resize(frames * std::size_t(classes));
}

}  // namespace

void FrameStitcher::add(double start_s, std::span<const float> logits, std::span<const float> column_logits) {
  if (classes_ <= 0 || logits.empty()) return;
  const std::size_t columns = logits.size() / std::size_t(classes_);
  // The window's first column lands on the nearest column of the grid (within half a column).
  const auto first = std::size_t(std::max(0L, std::lround(start_s / spf_)));
  if (first < base_)
    throw Error(ErrorCode::internal, "frame evidence: a window reaches frames already given (windows out of order)");
  // No later window reaches the frames before this one's first (windows come in order).
  settle_before(first);
  const std::size_t at = first - base_;
  seen_.resize(std::max(seen_.size(), at + columns), 0);
  add_probabilities(sum_, at, logits, classes_);
  if (!column_logits.empty()) add_probabilities(column_sum_, at, column_logits, classes_);
  for (std::size_t c = 0; c < columns; ++c) ++seen_[at + c];
}

void FrameStitcher::settle_before(std::size_t frame) {
  if (!sink_ || frame <= base_) return;
  const std::size_t n = frame - base_, k = std::size_t(classes_);
  // Frames no window reached hold 0, as finish() gives them.
  seen_.resize(std::max(seen_.size(), n), 0);
  sum_.resize(std::max(sum_.size(), n * k), 0.0f);
  if (!column_sum_.empty()) column_sum_.resize(std::max(column_sum_.size(), n * k), 0.0f);
  divide(sum_, seen_, n, classes_, false);
  if (!column_sum_.empty()) divide(column_sum_, seen_, n, classes_, false);
  for (std::size_t f = 0; f < n; ++f)
    sink_(std::span<const float>(sum_.data() + f * k, k),
          column_sum_.empty() ? std::span<const float>() : std::span<const float>(column_sum_.data() + f * k, k));
  sum_.erase(sum_.begin(), sum_.begin() + std::ptrdiff_t(n * k));
  if (!column_sum_.empty()) column_sum_.erase(column_sum_.begin(), column_sum_.begin() + std::ptrdiff_t(n * k));
  seen_.erase(seen_.begin(), seen_.begin() + std::ptrdiff_t(n));
  base_ = frame;
}

FrameEvidence FrameStitcher::finish(double duration_s) && {
  FrameEvidence out;
  out.seconds_per_frame = spf_;
  out.classes = classes_;
  const std::size_t frames =
      std::min(base_ + seen_.size(), std::size_t(std::max(1.0, std::ceil(duration_s / spf_ - 1e-9))));
  if (sink_) {
    settle_before(std::max(frames, base_));
    return out;
  }
  sum_.resize(seen_.size() * std::size_t(classes_), 0.0f);
  divide(sum_, seen_, frames, classes_, true);
  out.probabilities = std::move(sum_);
  if (!column_sum_.empty()) {
    column_sum_.resize(seen_.size() * std::size_t(classes_), 0.0f);
    divide(column_sum_, seen_, frames, classes_, true);
    out.columns = std::move(column_sum_);
  }
  return out;
}

}  // namespace soundlens
