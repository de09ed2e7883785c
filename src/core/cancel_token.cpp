#include "core/cancel_token.h"

namespace soundlens {

CancelToken::CancelToken(std::function<bool()> poll, std::string message)
    : poll_(std::move(poll)), poll_message_(std::move(message)) {}

CancelToken::CancelToken(std::function<bool()> poll, std::string message, std::function<void(double)> progress)
    : poll_(std::move(poll)), poll_message_(std::move(message)), progress_(std::move(progress)) {}

void CancelToken::cancel(ErrorCode code, const std::string& message) const {
  std::lock_guard lock(mutex_);
  if (set_.load(std::memory_order_relaxed)) return;
  code_ = code;
  message_ = message;
  set_.store(true, std::memory_order_release);
}

void CancelToken::throw_reason() const { throw Error(code_, message_); }

}  // namespace soundlens
