#include "jobs/fair_queue.h"

#include <stdexcept>
#include <tuple>

namespace soundlens {

void FairQueue::push(const std::string& user, std::string id) {
  queued_[user].emplace_back(++arrivals_, std::move(id));
}

std::pair<std::string, std::string> FairQueue::pop() {
  if (queued_.empty()) throw std::logic_error("FairQueue::pop on an empty queue");
  auto best = queued_.end();
  std::tuple<int, std::uint64_t, std::uint64_t> best_key{};
  for (auto it = queued_.begin(); it != queued_.end(); ++it) {
    const auto running = running_.find(it->first);
    const auto served = served_.find(it->first);
    // Never served: turn 0, before everyone who was.
    const std::tuple<int, std::uint64_t, std::uint64_t> key{running == running_.end() ? 0 : running->second,
                                                            served == served_.end() ? 0 : served->second,
                                                            it->second.front().first};
    if (best == queued_.end() || key < best_key) best = it, best_key = key;
  }
  std::pair<std::string, std::string> next{best->first, std::move(best->second.front().second)};
  best->second.pop_front();
  if (best->second.empty()) queued_.erase(best);
  ++running_[next.first];
  served_[next.first] = ++turn_;
  return next;
}

void FairQueue::finished(const std::string& user) {
  const auto it = running_.find(user);
  if (it == running_.end()) return;
  if (--it->second <= 0) running_.erase(it);
}

}  // namespace soundlens
