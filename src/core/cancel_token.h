#pragma once
// A request to stop long work, set from another thread (the HTTP layer's
// watcher when the client hangs up or a deadline passes) and checked by the
// work's own loops, which then throw the error it was given. Plain C++: any
// stage may check one.
#include <atomic>
#include <functional>
#include <mutex>
#include <string>

#include "core/error.h"

namespace soundlens {

class CancelToken {
 public:
  CancelToken() = default;
  // Also cancelled, with Error(cancelled, message), once `poll` answers true
  // at a check: for a stop flag kept elsewhere (a job's, in its store).
  CancelToken(std::function<bool()> poll, std::string message);
  // The same, also told how far the long loops that check it have got: `progress` receives the
  // fraction (0..1) of their current call done (an explanation method's passes over one batch of
  // windows: occlusion's 1,088 passes of a 10 s window report per pass batch).
  CancelToken(std::function<bool()> poll, std::string message, std::function<void(double)> progress);
  CancelToken(const CancelToken&) = delete;
  CancelToken& operator=(const CancelToken&) = delete;

  // The first reason wins; later calls do nothing.
  void cancel(ErrorCode code, const std::string& message) const;
  bool cancelled() const { return set_.load(std::memory_order_acquire); }
  // Throws the reason's Error once cancelled; cheap otherwise (an atomic load,
  // and the poll when there is one).
  void check() const {
    if (!cancelled() && poll_ && poll_()) cancel(ErrorCode::cancelled, poll_message_);
    if (cancelled()) throw_reason();
  }
  void report(double fraction) const {
    if (progress_) progress_(fraction);
  }

 private:
  [[noreturn]] void throw_reason() const;

  std::function<bool()> poll_;
  std::string poll_message_;
  std::function<void(double)> progress_;
  // cancel() is const: the loops that check a token may also trip its poll.
  mutable std::atomic<bool> set_{false};
  mutable std::mutex mutex_;  // guards the writes of code_ and message_ (read only after set_)
  mutable ErrorCode code_ = ErrorCode::cancelled;
  mutable std::string message_;
};

// For optional tokens: nullptr never stops.
inline void check_cancel(const CancelToken* token) {
  if (token != nullptr) token->check();
}
inline void report_progress(const CancelToken* token, double fraction) {
  if (token != nullptr) token->report(fraction);
}

}  // namespace soundlens
