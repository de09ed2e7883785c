#include "http/admission_gate.h"

#include <algorithm>
#include <string>

#include "core/error.h"

namespace soundlens::http {

AdmissionGate::AdmissionGate(int max_running, int max_waiting)
    : max_running_(std::max(1, max_running)), max_waiting_(std::max(0, max_waiting)) {}

AdmissionGate::Ticket::~Ticket() {
  if (gate_ != nullptr) gate_->leave();
}

AdmissionGate::Ticket AdmissionGate::enter() {
  std::unique_lock lock(mutex_);
  if (running_ >= max_running_) {
    if (waiting_ >= max_waiting_)
      throw Error(ErrorCode::busy, "the server is busy: " + std::to_string(running_) + " analyses running and " +
                                       std::to_string(waiting_) + " waiting; retry later");
    ++waiting_;
    slot_free_.wait(lock, [this] { return running_ < max_running_; });
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
