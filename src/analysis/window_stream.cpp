#include "analysis/window_stream.h"

#include <algorithm>

namespace soundlens {

WindowStream::WindowStream(std::size_t window_samples, std::size_t hop_samples)
    : window_(window_samples), hop_(hop_samples) {}

std::span<const float> WindowStream::at(std::size_t start, std::size_t length) const {
  return std::span<const float>(buffer_.data() + (start - offset_), length);
}

void WindowStream::push(std::span<const float> block, const Emit& emit) {
  buffer_.insert(buffer_.end(), block.begin(), block.end());
  total_ += block.size();
  if (hop_ == 0) return;  // plan_windows: one window over everything
  // A window is cut as soon as its last sample is in. It is the one plan_windows gives there
  // whether or not the recording goes on: ending exactly at its end, it is plan_windows' last
  // window (start total - window), which finish() then does not cut again.
  while (next_ + window_ <= total_) {
    emit({next_, window_}, at(next_, window_));
    emitted_ = true;
    last_start_ = next_;
    next_ += hop_;
  }
  // Keep what a later window may need: from the next regular window, or the
  // last window's possible start (total - window), whichever is first.
  const std::size_t keep_from = std::min(next_, total_ > window_ ? total_ - window_ : 0);
  if (keep_from > offset_ && keep_from - offset_ >= std::max<std::size_t>(window_, 1 << 16)) {
    buffer_.erase(buffer_.begin(), buffer_.begin() + std::ptrdiff_t(keep_from - offset_));
    offset_ = keep_from;
  }
}

void WindowStream::finish(const Emit& emit) {
  if (!emitted_) {
    if (total_ > 0 || hop_ == 0) emit({0, total_}, at(0, total_));
    return;
  }
  const std::size_t last = total_ - window_;
  if (last_start_ != last) emit({last, window_}, at(last, window_));
}

}  // namespace soundlens
