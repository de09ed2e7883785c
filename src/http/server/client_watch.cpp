#include "http/server/client_watch.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "core/error.h"

namespace soundlens::http {

ClientWatch::ClientWatch() {
  if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) throw Error(ErrorCode::internal, "client watch: cannot make a pipe");
  thread_ = std::thread([this] { loop(); });
}

ClientWatch::~ClientWatch() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake();
  thread_.join();
  ::close(wake_[0]);
  ::close(wake_[1]);
}

ClientWatch::Watch::~Watch() {
  if (owner_ != nullptr) owner_->remove(id_);
}

ClientWatch::Watch ClientWatch::watch(int fd, Clock::time_point deadline, std::function<void()> fire) {
  std::uint64_t id;
  {
    std::lock_guard lock(mutex_);
    id = next_id_++;
    entries_.emplace(id, Entry{fd, deadline, std::move(fire)});
  }
  wake();
  return Watch(this, id);
}

void ClientWatch::remove(std::uint64_t id) {
  bool had_fd = false;
  {
    std::lock_guard lock(mutex_);  // not while the entry fires: firing holds the lock
    const auto it = entries_.find(id);
    if (it == entries_.end()) return;
    had_fd = it->second.fd >= 0;
    entries_.erase(it);
  }
  if (had_fd) wake();  // the fd must leave the poll set before its connection is closed and the number reused
}

void ClientWatch::wake() {
  const char byte = 1;
  [[maybe_unused]] const auto n = ::write(wake_[1], &byte, 1);  // a full pipe already wakes the loop
}

void ClientWatch::loop() {
  std::vector<pollfd> fds;
  std::vector<std::uint64_t> ids;  // ids[i] watches fds[i + 1]
  for (;;) {
    int timeout_ms = -1;
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      fds.assign(1, pollfd{wake_[0], POLLIN, 0});
      ids.clear();
      auto next = Clock::time_point::max();
      for (const auto& [id, e] : entries_) {
        if (e.fd >= 0) {
          fds.push_back(pollfd{e.fd, short(POLLRDHUP), 0});  // POLLHUP and POLLERR are always reported
          ids.push_back(id);
        }
        next = std::min(next, e.deadline);
      }
      if (next != Clock::time_point::max()) {
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(next - Clock::now()).count();
        timeout_ms = int(std::clamp<long long>(left, 0, 1 << 30));
      }
    }
    const int n = ::poll(fds.data(), fds.size(), timeout_ms);
    if (n < 0 && errno != EINTR) return;
    if (fds[0].revents != 0) {
      char drain[64];
      while (::read(wake_[0], drain, sizeof drain) > 0) {
      }
    }
    std::lock_guard lock(mutex_);
    const auto now = Clock::now();
    // A removed entry's fd may be another connection's by now: only entries still present fire.
    for (std::size_t i = 1; i < fds.size(); ++i) {
      if ((fds[i].revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) == 0) continue;
      const auto it = entries_.find(ids[i - 1]);
      if (it == entries_.end()) continue;
      auto fire = std::move(it->second.fire);
      entries_.erase(it);
      fire();
    }
    for (auto it = entries_.begin(); it != entries_.end();) {
      if (it->second.deadline > now) {
        ++it;
        continue;
      }
      auto fire = std::move(it->second.fire);
      it = entries_.erase(it);
      fire();
    }
  }
}

}  // namespace soundlens::http
