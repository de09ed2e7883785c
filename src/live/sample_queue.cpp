#include "live/sample_queue.h"

#include <algorithm>

namespace soundlens {

SampleQueue::SampleQueue(std::size_t capacity_samples) : capacity_(std::max<std::size_t>(capacity_samples, 1)) {}

bool SampleQueue::push(std::span<const float> samples) {
  while (!samples.empty()) {
    std::unique_lock lock(m_);
    changed_.wait(lock, [&] { return cancelled_ || queued_.size() < capacity_; });
    if (cancelled_) return false;
    const std::size_t n = std::min(samples.size(), capacity_ - queued_.size());
    queued_.insert(queued_.end(), samples.begin(), samples.begin() + std::ptrdiff_t(n));
    samples = samples.subspan(n);
    changed_.notify_all();
  }
  return true;
}

void SampleQueue::close(std::exception_ptr error, std::string note) {
  std::lock_guard lock(m_);
  closed_ = true;
  error_ = error;
  note_ = std::move(note);
  changed_.notify_all();
}

std::vector<float> SampleQueue::pop(std::chrono::milliseconds wait, bool& done) {
  std::unique_lock lock(m_);
  changed_.wait_for(lock, wait, [&] { return closed_ || !queued_.empty(); });
  std::vector<float> out;
  out.swap(queued_);
  done = closed_ && out.empty();
  changed_.notify_all();
  return out;
}

void SampleQueue::cancel() {
  std::lock_guard lock(m_);
  cancelled_ = true;
  changed_.notify_all();
}

std::exception_ptr SampleQueue::error() const {
  std::lock_guard lock(m_);
  return error_;
}

std::string SampleQueue::note() const {
  std::lock_guard lock(m_);
  return note_;
}

}  // namespace soundlens
