#pragma once
// Waits for requests on client connections without holding a worker thread:
// one thread polls every open connection until a request's line and headers
// have all arrived, and only then hands the connection to a worker. So slow
// or idle clients (a header byte every few seconds, keep-alive connections
// left open) cost a file descriptor, not a thread, and cannot keep quick
// requests such as /health waiting. Internal to http; plain sockets only.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace soundlens::http {

struct ReactorOptions {
  std::chrono::milliseconds header_timeout{10000};     // first byte to end of headers
  std::chrono::milliseconds keep_alive_timeout{5000};  // an idle connection is closed after this
  std::size_t max_header_bytes = 64 * 1024;            // request line + headers
  std::size_t max_connections = 512;                   // open at once, idle or busy
  std::chrono::milliseconds linger_time{2000};         // see linger()
  std::size_t max_linger_bytes = 8u << 20;
};

// A connection whose request head is complete.
struct ReadyConnection {
  int fd = -1;
  std::string buffered;  // the head and whatever followed it
  std::chrono::steady_clock::time_point first_byte;
};

class ConnectionReactor {
 public:
  // `dispatch` runs on the reactor thread and must not block. `refusal` builds
  // the bytes of a complete response (status, message) sent before closing a
  // connection the reactor gives up on (408, 431, 503).
  ConnectionReactor(ReactorOptions options, std::function<void(ReadyConnection)> dispatch,
                    std::function<std::string(int, const std::string&)> refusal);
  ~ConnectionReactor();
  ConnectionReactor(const ConnectionReactor&) = delete;
  ConnectionReactor& operator=(const ConnectionReactor&) = delete;

  void add(int fd);                                  // a new connection
  void give_back(int fd, std::string leftover);      // served, kept alive: wait for its next request
  void close_served(int fd);                         // served, not kept: close it
  // Served, but the client may still be sending a body that was refused: stop
  // writing, read and drop what still comes for a moment, then close, so the
  // client gets to read the refusal instead of a connection reset.
  void linger(int fd);
  // Stops taking connections back: idle ones are closed at once, while those
  // with a request under way (part of a head, or new and not yet sent) get
  // until their header deadline (new and silent ones one second) to complete
  // it and be served. Returns when none is left; later give_back() calls close theirs.
  void shutdown();

 private:
  struct Arrival {
    int fd;
    std::string leftover;
    bool returning;  // given back by a worker (already counted in busy_)
    bool lingering = false;
  };
  struct Waiting {
    std::string buffer;
    std::chrono::steady_clock::time_point since;       // idle since, or first byte when buffer is not empty
    bool lingering = false;                            // only draining before the close
    std::size_t drained = 0;
    bool fresh = true;                                 // has not had a request served yet
  };
  void loop();
  void take_inbox();
  void admit(Arrival arrival);
  void on_readable(int fd);
  bool dispatch_if_complete(int fd);
  void refuse(int fd, int status, const std::string& message);
  void close_waiting(int fd);
  void expire(std::chrono::steady_clock::time_point now);
  void start_draining();
  bool has_requests_under_way() const;
  std::chrono::milliseconds limit_for(const Waiting& w) const;
  int poll_timeout_ms(std::chrono::steady_clock::time_point now) const;

  ReactorOptions options_;
  std::function<void(ReadyConnection)> dispatch_;
  std::function<std::string(int, const std::string&)> refusal_;
  int wake_[2] = {-1, -1};

  std::mutex mutex_;  // guards inbox_, stopping_, busy_
  std::vector<Arrival> inbox_;
  bool stopping_ = false;
  std::size_t busy_ = 0;  // connections handed to workers and not yet returned

  std::map<int, Waiting> waiting_;  // reactor thread only
  bool draining_ = false;           // reactor thread only: shutting down, finishing requests under way
  std::thread thread_;
};

}  // namespace soundlens::http
