#pragma once
// A request to stop long work, set from another thread (the HTTP layer's
// watcher when the client hangs up or a deadline passes) and checked by the
// work's own loops, which then throw the error it was given. Plain C++: any
// stage may check one.
#include <atomic>
#include <mutex>
#include <string>

#include "core/error.h"

namespace soundlens {

class CancelToken {
 public:
  // The first reason wins; later calls do nothing.
  void cancel(ErrorCode code, const std::string& message);
  bool cancelled() const { return set_.load(std::memory_order_acquire); }
  // Throws the reason's Error once cancelled; cheap otherwise (one atomic load).
  void check() const {
    if (cancelled()) throw_reason();
  }

 private:
  [[noreturn]] void throw_reason() const;

  std::atomic<bool> set_{false};
  std::mutex mutex_;  // guards the writes of code_ and message_ (read only after set_)
  ErrorCode code_ = ErrorCode::cancelled;
  std::string message_;
};

// For optional tokens: nullptr never stops.
inline void check_cancel(const CancelToken* token) {
  if (token != nullptr) token->check();
}

}  // namespace soundlens
