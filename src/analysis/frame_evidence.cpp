#include "analysis/frame_evidence.h"

#include <cmath>

namespace soundlens {

FrameStitcher::FrameStitcher(double seconds_per_frame, int classes) : spf_(seconds_per_frame), classes_(classes) {}

void FrameStitcher::add(double start_s, std::span<const float> logits) {
  if (classes_ <= 0 || logits.empty()) return;
  const std::size_t columns = logits.size() / std::size_t(classes_);
  // The window's first column lands on the nearest column of the grid (within half a column).
  const auto first = std::size_t(std::max(0L, std::lround(start_s / spf_)));
  if (seen_.size() < first + columns) {
    seen_.resize(first + columns, 0);
    sum_.resize(seen_.size() * std::size_t(classes_), 0.0f);
  }
  for (std::size_t c = 0; c < columns; ++c) {
    float* row = sum_.data() + (first + c) * std::size_t(classes_);
    const float* in = logits.data() + c * std::size_t(classes_);
    for (int k = 0; k < classes_; ++k) row[k] += 1.0f / (1.0f + std::exp(-in[k]));  // NaN stays NaN
    ++seen_[first + c];
  }
}

FrameEvidence FrameStitcher::finish(double duration_s) && {
  FrameEvidence out;
  out.seconds_per_frame = spf_;
  out.classes = classes_;
  const std::size_t frames = std::min(seen_.size(), std::size_t(std::max(1.0, std::ceil(duration_s / spf_ - 1e-9))));
  for (std::size_t f = 0; f < frames; ++f)
    for (int k = 0; k < classes_; ++k) sum_[f * classes_ + k] /= float(std::max(1, seen_[f]));
  sum_.resize(frames * std::size_t(classes_));
  out.probabilities = std::move(sum_);
  return out;
}

}  // namespace soundlens
