#pragma once
// The bounded hand-over between the thread that reads a live source and the
// one that analyses it: the reader waits while it is full, so memory is
// bounded whatever the source does; the analysis takes everything queued at
// once and can tell how far behind it is.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <span>
#include <string>
#include <vector>

namespace soundlens {

class SampleQueue {
 public:
  explicit SampleQueue(std::size_t capacity_samples);
  // Reader: false once the analysis has stopped taking (cancel()); waits while full.
  bool push(std::span<const float> samples);
  // Reader: the source ended (error: what stopped it; note: a line for the user, e.g. a partial sample).
  void close(std::exception_ptr error = nullptr, std::string note = {});
  // Analysis: everything queued, waiting up to `wait` for some; `done` once closed and empty.
  std::vector<float> pop(std::chrono::milliseconds wait, bool& done);
  void cancel();
  std::exception_ptr error() const;
  std::string note() const;
  std::size_t capacity() const { return capacity_; }

 private:
  mutable std::mutex m_;
  std::condition_variable changed_;
  std::vector<float> queued_;
  std::size_t capacity_;
  bool closed_ = false, cancelled_ = false;
  std::exception_ptr error_;
  std::string note_;
};

}  // namespace soundlens
