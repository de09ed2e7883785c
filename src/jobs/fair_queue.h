#pragma once
// The queue of a runner with a store only it uses (SQLite): job ids per user,
// handed out so that one user's long queue does not starve another's. The
// next job is from the user with the fewest jobs running, among them the one
// served longest ago (round robin), then the one whose next job came first;
// each user's own jobs in the order they came.
// Not thread-safe: the runner holds its mutex.
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <utility>

namespace soundlens {

class FairQueue {
 public:
  void push(const std::string& user, std::string id);
  bool empty() const { return queued_.empty(); }
  // The next {user, job id}; that user has one more job running until finished(user).
  std::pair<std::string, std::string> pop();
  void finished(const std::string& user);

 private:
  std::map<std::string, std::deque<std::pair<std::uint64_t, std::string>>> queued_;  // {arrival, id}; none empty
  std::map<std::string, int> running_;
  std::map<std::string, std::uint64_t> served_;  // the turn at which each user last got a job
  std::uint64_t turn_ = 0, arrivals_ = 0;
};

}  // namespace soundlens
