#pragma once
// The HTTP library's server with our own connection handling: a reactor
// thread waits for request heads (see connection_reactor.h), then a worker
// serves the request through a ConnectionStream with a deadline and a byte
// cap for the whole request. Probes (GET /health) have workers of their own,
// so they answer at once even when every other worker is busy. Internal to
// http (it includes httplib).
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http/connection_reactor.h"

namespace soundlens::http {

struct ConnectionLimits {
  ReactorOptions reactor;
  std::chrono::milliseconds request_timeout{60000};  // first byte to end of body
  std::size_t max_body_bytes = 100u << 20;
  int read_timeout_ms = 60000;                       // one read
  int write_timeout_ms = 60000;                      // one write
  int worker_threads = 16;
  int probe_threads = 2;
};

class GuardedServer final : public httplib::Server {
 public:
  explicit GuardedServer(ConnectionLimits limits,
                         std::function<std::string(int, const std::string&)> refusal);
  ~GuardedServer() override;

 private:
  class Lane;
  class InlineQueue;
  bool process_and_close_socket(int sock) override;  // called by the accept loop: hands the socket over
  void serve(ReadyConnection connection);
  void shutdown_connections();

  ConnectionLimits limits_;
  std::atomic<bool> stopping_ = false;
  std::unique_ptr<Lane> main_lane_, probe_lane_;
  std::unique_ptr<ConnectionReactor> reactor_;
};

}  // namespace soundlens::http
