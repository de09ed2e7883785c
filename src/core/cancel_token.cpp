#include "core/cancel_token.h"

namespace soundlens {

void CancelToken::cancel(ErrorCode code, const std::string& message) {
  std::lock_guard lock(mutex_);
  if (set_.load(std::memory_order_relaxed)) return;
  code_ = code;
  message_ = message;
  set_.store(true, std::memory_order_release);
}

void CancelToken::throw_reason() const { throw Error(code_, message_); }

}  // namespace soundlens
