#include "analysis/frame_evidence.h"

#include <algorithm>
#include <cmath>

namespace soundlens {

FrameStitcher::FrameStitcher(double seconds_per_frame, int classes) : spf_(seconds_per_frame), classes_(classes) {}

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

void divide(std::vector<float>& sum, const std::vector<int>& seen, std::size_t frames, int classes) {
  if (sum.empty()) return;
  for (std::size_t f = 0; f < frames; ++f)
    for (int k = 0; k < classes; ++k) sum[f * classes + k] /= float(std::max(1, seen[f]));
  sum.resize(frames * std::size_t(classes));
}

}  // namespace

void FrameStitcher::add(double start_s, std::span<const float> logits, std::span<const float> column_logits) {
  if (classes_ <= 0 || logits.empty()) return;
  const std::size_t columns = logits.size() / std::size_t(classes_);
  // The window's first column lands on the nearest column of the grid (within half a column).
  const auto first = std::size_t(std::max(0L, std::lround(start_s / spf_)));
  seen_.resize(std::max(seen_.size(), first + columns), 0);
  add_probabilities(sum_, first, logits, classes_);
  if (!column_logits.empty()) add_probabilities(column_sum_, first, column_logits, classes_);
  for (std::size_t c = 0; c < columns; ++c) ++seen_[first + c];
}

FrameEvidence FrameStitcher::finish(double duration_s) && {
  FrameEvidence out;
  out.seconds_per_frame = spf_;
  out.classes = classes_;
  const std::size_t frames = std::min(seen_.size(), std::size_t(std::max(1.0, std::ceil(duration_s / spf_ - 1e-9))));
  sum_.resize(seen_.size() * std::size_t(classes_), 0.0f);
  divide(sum_, seen_, frames, classes_);
  out.probabilities = std::move(sum_);
  if (!column_sum_.empty()) {
    column_sum_.resize(seen_.size() * std::size_t(classes_), 0.0f);
    divide(column_sum_, seen_, frames, classes_);
    out.columns = std::move(column_sum_);
  }
  return out;
}

}  // namespace soundlens
