#pragma once
// The meeting point of the fused model's two passes run at once: each posts
// its clip probabilities and window count when its first reading is done and
// waits for the other's (the explained classes need both). A pass that fails
// says so, and the other stops waiting with PartnerFailed instead of hanging.
#include <condition_variable>
#include <mutex>
#include <optional>
#include <vector>

namespace soundlens {

struct PartnerFailed {};

class ClipExchange {
 public:
  struct Posted {
    std::vector<float> clip;
    long windows = 0;
  };
  // Side 0 or 1 posts; returns the other side's. Throws PartnerFailed if the other failed.
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

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::optional<Posted> posted_[2];
  bool failed_ = false;
};

}  // namespace soundlens
