#pragma once
// One thread that notices when the client of a long request hangs up (or a
// deadline passes), so that the work it asked for can stop: it polls the
// connections of the requests being worked on for a peer close or reset
// (POLLRDHUP, POLLHUP, POLLERR) and sleeps until the next event or deadline,
// never spinning. Internal to http; plain sockets only.
//
// A client that half-closes its side after sending the request (shutdown of
// writing) counts as gone: browsers and HTTP libraries do not do that.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace soundlens::http {

class ClientWatch {
 public:
  using Clock = std::chrono::steady_clock;

  ClientWatch();
  ~ClientWatch();
  ClientWatch(const ClientWatch&) = delete;
  ClientWatch& operator=(const ClientWatch&) = delete;

  // Stops watching when destroyed; after that `fire` is not called (nor running).
  class Watch {
   public:
    Watch(ClientWatch* owner, std::uint64_t id) : owner_(owner), id_(id) {}
    Watch(Watch&& other) noexcept : owner_(other.owner_), id_(other.id_) { other.owner_ = nullptr; }
    Watch(const Watch&) = delete;
    Watch& operator=(const Watch&) = delete;
    Watch& operator=(Watch&&) = delete;
    ~Watch();

   private:
    ClientWatch* owner_;
    std::uint64_t id_;
  };

  // Calls `fire` once, on the watcher's thread (which must not wait on
  // anything that calls watch() or ends a Watch), when the connection `fd`
  // (-1: none) is closed or reset by its peer, or when `deadline` passes.
  Watch watch(int fd, Clock::time_point deadline, std::function<void()> fire);

 private:
  struct Entry {
    int fd;
    Clock::time_point deadline;
    std::function<void()> fire;
  };
  void loop();
  void wake();
  void remove(std::uint64_t id);

  std::mutex mutex_;  // guards entries_, next_id_, stopping_; held while firing
  std::map<std::uint64_t, Entry> entries_;
  std::uint64_t next_id_ = 1;
  bool stopping_ = false;
  int wake_[2] = {-1, -1};
  std::thread thread_;
};

}  // namespace soundlens::http
