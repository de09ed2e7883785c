#include "http/server/admission_gate.h"

#include <algorithm>
#include <chrono>
#include <string>

#include "core/error.h"

namespace soundlens::http {

AdmissionGate::AdmissionGate(int max_running, int max_waiting, std::string what)
    : max_running_(std::max(1, max_running)), max_waiting_(std::max(0, max_waiting)), what_(std::move(what)) {}

AdmissionGate::Ticket::~Ticket() {
  if (gate_ != nullptr) gate_->leave();
}

AdmissionGate::Ticket AdmissionGate::enter(const CancelToken* stop) {
  std::unique_lock lock(mutex_);
  if (running_ >= max_running_) {
    if (waiting_ >= max_waiting_)
      throw Error(ErrorCode::busy, "the server is busy: " + std::to_string(running_) + " " + what_ + " running and " +
                                       std::to_string(waiting_) + " waiting (at most " +
                                       std::to_string(max_waiting_) + " wait); retry later");
    ++waiting_;
    const auto free = [this] { return running_ < max_running_; };
    if (stop == nullptr) {
      slot_free_.wait(lock, free);
    } else {
      // The token has no way to notify this wait: look at it a few times a second.
      while (!slot_free_.wait_for(lock, std::chrono::milliseconds(200), free)) {
        if (!stop->cancelled()) continue;
        --waiting_;
        stop->check();
      }
    }
    --waiting_;
  }
  ++running_;
  return Ticket(this);
}

void AdmissionGate::leave() {
  {
    std::lock_guard lock(mutex_);
    --running_;
  }
  slot_free_.notify_one();
}

}  // namespace soundlens::http
