#pragma once
// What the fused model's two passes, run at once, share. As their first
// readings go, each posts its clip probabilities so far, so that each can
// follow (explain from the start) the classes that rank highest in both.
// When a first reading is done, it posts its clip probabilities and window
// count and waits for the other's (the explained classes need both). A pass
// that fails says so, and the other stops waiting with PartnerFailed instead
// of hanging.
#include <condition_variable>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

namespace soundlens {

struct PartnerFailed {};

class ClipExchange {
 public:
  struct Posted {
    std::vector<float> clip;
    long windows = 0;
  };
  // Side 0 or 1 posts; returns the other side's. Throws PartnerFailed if the
  // other failed.
  Posted swap(int side, Posted mine) {
    std::unique_lock lock(mutex_);
    posted_[side] = std::move(mine);
    changed_.notify_all();
    changed_.wait(lock, [&] { return failed_ || posted_[1 - side].has_value(); });
    if (failed_ && !posted_[1 - side]) throw PartnerFailed{};
    return *posted_[1 - side];
  }
  void fail() {
    std::lock_guard lock(mutex_);
    failed_ = true;
    changed_.notify_all();
  }
  // As the first readings go: a side's clip probabilities so far.
  void post_running(int side, std::span<const float> clip) {
    std::lock_guard lock(mutex_);
    running_[side].assign(clip.begin(), clip.end());
  }
  // The other side's, empty until it has posted.
  std::vector<float> running_of_other(int side) const {
    std::lock_guard lock(mutex_);
    return running_[1 - side];
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::optional<Posted> posted_[2];
  std::vector<float> running_[2];
  bool failed_ = false;
};

}  // namespace soundlens
