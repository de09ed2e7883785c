#pragma once
// What a request body may cost while it arrives: memory, counted server-wide
// (BodyBudget; BodyBytes is one request's share, given back when it goes),
// and time, as a minimum rate (MinBodyRate). Shared by the connection
// reactor, which reads bodies without a thread, and the stream of a worker
// that reads one itself. Internal to http; no library types.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

namespace soundlens::http {

// Bytes of request bodies held in memory by the server, against one limit.
class BodyBudget {
 public:
  explicit BodyBudget(std::size_t limit) : limit_(limit) {}
  bool try_take(std::size_t bytes) {
    std::size_t used = used_.load();
    do {
      if (used + bytes > limit_) return false;
    } while (!used_.compare_exchange_weak(used, used + bytes));
    return true;
  }
  void give(std::size_t bytes) { used_ -= bytes; }
  std::size_t used() const { return used_.load(); }
  std::size_t limit() const { return limit_; }

 private:
  std::size_t limit_;
  std::atomic<std::size_t> used_ = 0;
};

// One request's bytes taken from a BodyBudget; given back when destroyed.
class BodyBytes {
 public:
  BodyBytes() = default;
  explicit BodyBytes(BodyBudget* budget) : budget_(budget) {}
  BodyBytes(BodyBytes&& other) noexcept : budget_(std::exchange(other.budget_, nullptr)),
                                          bytes_(std::exchange(other.bytes_, 0)) {}
  BodyBytes& operator=(BodyBytes&& other) noexcept {
    if (this != &other) {
      release();
      budget_ = std::exchange(other.budget_, nullptr);
      bytes_ = std::exchange(other.bytes_, 0);
    }
    return *this;
  }
  ~BodyBytes() { release(); }

  bool try_take(std::size_t bytes) {
    if (!budget_ || !budget_->try_take(bytes)) return false;
    bytes_ += bytes;
    return true;
  }
  void give(std::size_t bytes) {
    bytes = std::min(bytes, bytes_);
    bytes_ -= bytes;
    if (budget_) budget_->give(bytes);
  }
  std::size_t bytes() const { return bytes_; }

 private:
  void release() {
    if (budget_ && bytes_ > 0) budget_->give(bytes_);
    bytes_ = 0;
  }
  BodyBudget* budget_ = nullptr;
  std::size_t bytes_ = 0;
};

// A body must arrive at an average of at least `bytes_per_s` from its start,
// checked once `grace` has passed (a slow start, a TCP window opening, is no
// offence; a byte a second for ever is). 0 bytes/s: no minimum.
struct MinBodyRate {
  using Clock = std::chrono::steady_clock;
  std::size_t bytes_per_s = 1024;
  std::chrono::milliseconds grace{10000};

  bool enabled() const { return bytes_per_s > 0; }
  // When a body that began at `start` with `received` bytes so far is too slow, unless more arrives first.
  Clock::time_point too_slow_at(Clock::time_point start, std::size_t received) const {
    if (!enabled()) return Clock::time_point::max();
    const auto earned = std::chrono::milliseconds(std::int64_t(double(received) * 1000.0 / double(bytes_per_s)));
    return start + std::max(grace, earned);
  }
  // "1 KB/s" or "500 bytes/s".
  std::string text() const {
    return bytes_per_s % 1024 == 0 ? std::to_string(bytes_per_s / 1024) + " KB/s"
                                   : std::to_string(bytes_per_s) + " bytes/s";
  }
  // The 408 message: the rate the body came at, and the minimum.
  std::string refusal(std::size_t received, Clock::duration elapsed) const {
    const double seconds = std::max(0.001, std::chrono::duration<double>(elapsed).count());
    return "the request body arrived too slowly: " + std::to_string(received) + " bytes in " +
           std::to_string(int(seconds + 0.5)) + " s (" + std::to_string(std::size_t(double(received) / seconds)) +
           " bytes/s); the minimum is " + text() + " on average";
  }
};

}  // namespace soundlens::http
