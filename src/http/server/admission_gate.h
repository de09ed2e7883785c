#pragma once
// At most N analyses run at once; a bounded number wait for a slot; the rest
// are refused at once with Error(busy) so that the client can retry later
// instead of piling up connections and memory.
#include <condition_variable>
#include <mutex>
#include <string>

#include "core/cancel_token.h"

namespace soundlens::http {

class AdmissionGate {
 public:
  // `what`: the work, plural, for the busy message ("analyses", "explanations").
  AdmissionGate(int max_running, int max_waiting, std::string what = "analyses");

  class Ticket {
   public:
    explicit Ticket(AdmissionGate* gate) : gate_(gate) {}
    Ticket(Ticket&& other) noexcept : gate_(other.gate_) { other.gate_ = nullptr; }
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    Ticket& operator=(Ticket&&) = delete;
    ~Ticket();

   private:
    AdmissionGate* gate_;
  };

  // Blocks while all slots are taken; throws Error(busy) when the queue is full too.
  // While waiting, a cancelled `stop` ends the wait with its error.
  Ticket enter(const CancelToken* stop = nullptr);

 private:
  void leave();

  const int max_running_, max_waiting_;
  const std::string what_;
  std::mutex mutex_;
  std::condition_variable slot_free_;
  int running_ = 0, waiting_ = 0;
};

}  // namespace soundlens::http
