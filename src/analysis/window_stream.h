#pragma once
// plan_windows over a stream: the same windows, cut as the samples arrive,
// holding no more than one window (plus the block being pushed).
#include <cstddef>
#include <functional>
#include <span>
#include <vector>

#include "analysis/windowing.h"

namespace soundlens {

class WindowStream {
 public:
  using Emit = std::function<void(const WindowSpan& span, std::span<const float> samples)>;
  WindowStream(std::size_t window_samples, std::size_t hop_samples);
  // Each window plan_windows(total, ...) gives, in order, as soon as its last
  // sample is in: push() the samples, then finish() once at the end.
  void push(std::span<const float> block, const Emit& emit);
  void finish(const Emit& emit);
  std::size_t total() const { return total_; }
  std::size_t held() const { return buffer_.size(); }  // samples kept (bounded by window + block + window)

 private:
  std::span<const float> at(std::size_t start, std::size_t length) const;
  std::size_t window_, hop_;
  std::vector<float> buffer_;  // samples [offset_, total_)
  std::size_t offset_ = 0, total_ = 0;
  std::size_t next_ = 0;       // start of the next regular window
  bool emitted_ = false;
  std::size_t last_start_ = 0;
};

}  // namespace soundlens
