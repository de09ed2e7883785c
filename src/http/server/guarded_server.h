#pragma once
// The HTTP library's server with our own connection handling: a reactor
// thread waits for request heads (see connection_reactor.h); a request with a
// body first passes the gate (a check of its head alone: Host, size,
// encoding, credentials), so that one that will be refused is refused before
// any of its body is read; the reactor then reads the body without a thread
// and hands the complete request to a worker, which serves it through a
// ConnectionStream with a deadline and a byte cap for the whole request.
// Bodies that are chunked, larger than the reactor keeps in memory, or beyond
// the server's memory for bodies are read by a few stream workers of their
// own (at a minimum rate; when all are busy: 503), so that slow bodies never
// hold the workers that answer everyone else. Probes (GET /health) have
// workers of their own, so they answer at once even when every other worker
// is busy. Internal to http (it includes httplib).
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "http/server/body_limits.h"
#include "http/server/connection_reactor.h"
#include "http/server/head_lines.h"
#include "http/server/http_types.h"

namespace soundlens::http {

struct ConnectionLimits {
  ReactorOptions reactor;
  std::chrono::milliseconds request_timeout{60000};  // first byte to end of body
  std::size_t max_body_bytes = 100u << 20;
  int read_timeout_ms = 60000;                       // one read
  int write_timeout_ms = 60000;                      // one write
  int worker_threads = 16;
  int probe_threads = 2;
  int gate_threads = 2;                              // heads of requests with a body, checked before the body is read
  int body_streams = 4;                              // workers reading bodies as they stream
  std::size_t body_memory_bytes = 256u << 20;        // request bodies held in memory at once, server-wide
};

class GuardedServer final : public httplib::Server {
 public:
  // `refusal` builds a whole response (status, message); `gate` checks the
  // head of a request that has a body and returns the whole response that
  // refuses it, if it is refused. A gate that may block (it asks the store
  // for a key or session) runs on threads of its own; one that cannot runs
  // on the reactor thread, saving two thread switches per request.
  GuardedServer(ConnectionLimits limits, std::function<std::string(int, const std::string&)> refusal,
                std::function<std::optional<std::string>(const HeadLines&)> gate, bool gate_may_block);
  ~GuardedServer() override;

  ServerLoad load() const;
  // After binding: the library listens with a backlog of 5, so a burst of
  // connections (200 slow bodies opened at once) overflows it and each
  // connection after the fifth waits for the client's SYN to be sent again
  // (a second or more), the attacker's and everyone else's alike.
  void widen_backlog();

 private:
  class Lane;
  class InlineQueue;
  bool process_and_close_socket(int sock) override;  // called by the accept loop: hands the socket over
  void dispatch(ReadyConnection connection);         // on the reactor thread
  void pass_gate(ReadyConnection connection);        // on a gate thread
  void to_stream_lane(ReadyConnection connection);
  void refuse_and_linger(int fd, int status, const std::string& message);
  void serve(ReadyConnection connection);
  void shutdown_connections();

  ConnectionLimits limits_;
  std::function<std::string(int, const std::string&)> refusal_;
  std::function<std::optional<std::string>(const HeadLines&)> gate_;
  bool gate_may_block_;
  std::atomic<bool> stopping_ = false;
  std::atomic<int> listen_socket_ = -1;  // the last socket the library set up to bind
  BodyBudget budget_;
  std::unique_ptr<Lane> main_lane_, probe_lane_, gate_lane_, stream_lane_;
  std::unique_ptr<ConnectionReactor> reactor_;
};

}  // namespace soundlens::http
