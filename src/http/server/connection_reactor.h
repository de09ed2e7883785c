#pragma once
// Waits for requests on client connections without holding a worker thread:
// one thread polls every open connection until a request's line and headers
// have all arrived, and then, for a request with a body, until its body has
// arrived too (after the gate has let it in: see guarded_server.h). Only a
// complete request is handed to a worker. So slow or idle clients (a header
// byte every few seconds, a body at a byte a second, keep-alive connections
// left open) cost a file descriptor and the bytes they sent, not a thread,
// and cannot keep quick requests waiting. Bodies held in memory count against
// a server-wide BodyBudget; a body that would overdraw it (or is larger than
// max_buffered_body) goes to a worker that reads it as it streams. Internal to
// http; plain sockets only.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http/server/body_limits.h"
#include "http/server/head_lines.h"

namespace soundlens::http {

struct ReactorOptions {
  std::chrono::milliseconds header_timeout{10000};     // first byte to end of headers
  std::chrono::milliseconds keep_alive_timeout{5000};  // an idle connection is closed after this
  std::size_t max_header_bytes = 64 * 1024;            // request line + headers
  std::size_t max_connections = 512;                   // open at once, idle or busy
  std::chrono::milliseconds linger_time{2000};         // see linger()
  std::size_t max_linger_bytes = 8u << 20;
  // Bodies read here: from the request's first byte to the end of its body;
  // the longest silence; the slowest average rate.
  std::chrono::milliseconds request_timeout{120000};
  std::chrono::milliseconds read_timeout{60000};
  MinBodyRate min_body_rate;
  std::size_t max_buffered_body = 32u << 20;  // larger Content-Length bodies are read by a worker
};

// A connection handed to a worker, at one of three points of its request.
struct ReadyConnection {
  using Clock = std::chrono::steady_clock;
  enum class Stage {
    head,      // the head has arrived and a body follows: for the gate, before any of the body is read
    complete,  // the whole request has arrived (or it has no body): to be served
    stream,    // to be served by a worker that reads the rest of the body itself
  };
  int fd = -1;
  std::string buffered;  // the head and whatever followed it
  Clock::time_point first_byte;
  Stage stage = Stage::complete;
  std::size_t head_bytes = 0;  // up to and including the blank line (0 if the head could not be read)
  BodyFraming framing;
  Clock::time_point body_start;  // when its body began to be read (stream: for the minimum rate)
  BodyBytes held;                // body bytes in `buffered`, counted against the server's budget
};

// Reads what has arrived of a Content-Length body into `request.buffered`
// without waiting: at most `max_bytes` now, never past the body's end (a
// pipelined request stays in the socket), every byte first taken from the
// budget (request.held). For the reactor, and for the gate, which reads a body
// that has already arrived whole without a round trip through the reactor.
enum class BodyProgress { complete, waiting, over_budget, closed };
BodyProgress read_available_body(int fd, ReadyConnection& request, std::size_t max_bytes);

class ConnectionReactor {
 public:
  // `dispatch` runs on the reactor thread and must not block. `refusal` builds
  // the bytes of a complete response (status, message) sent before closing a
  // connection the reactor gives up on (408, 431, 503).
  ConnectionReactor(ReactorOptions options, BodyBudget* budget, std::function<void(ReadyConnection)> dispatch,
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
  // From the gate: the request may come in; read its Content-Length body here
  // (answering "Expect: 100-continue" first), then dispatch it as complete.
  void collect_body(ReadyConnection connection);
  // From the gate, for every connection it passed on otherwise (refused, or to a worker).
  void left_gate();
  // Stops taking connections back: idle ones are closed at once, while those
  // with a request under way (part of a head, a body, at the gate, or new and
  // not yet sent) get until their deadlines (new and silent ones one second)
  // to complete it and be served. Returns when none is left; later
  // give_back() calls close theirs.
  void shutdown();

  // For /health: open connections (waiting here or with a worker), and bodies being read here.
  std::size_t open_connections() const { return open_.load(); }
  std::size_t bodies_being_read() const { return bodies_.load(); }
  std::size_t max_connections() const { return options_.max_connections; }

 private:
  enum class Mode { head, body, linger };
  struct Arrival {
    int fd;
    std::string leftover;
    bool returning;  // given back by a worker (already counted in busy_)
    Mode mode = Mode::head;
    ReadyConnection body{};  // Mode::body: the request whose body is to be read
  };
  struct Waiting {
    Mode mode = Mode::head;
    std::string buffer;
    std::chrono::steady_clock::time_point since;       // idle since, or the request's first byte when buffer is not empty
    std::size_t drained = 0;                           // linger: bytes read and dropped
    bool fresh = true;                                 // has not had a request served yet
    ReadyConnection request{};                         // body: the request (its bytes so far), its budget share
    std::chrono::steady_clock::time_point last_read;   // body: for the read timeout
  };
  void loop();
  void take_inbox();
  void admit(Arrival arrival);
  void start_body(int fd, ReadyConnection request);
  void on_readable(int fd);
  void read_body(int fd, Waiting& w);
  bool dispatch_if_complete(int fd);
  void dispatch(ReadyConnection ready);
  void refuse(int fd, int status, const std::string& message);
  void refuse_and_linger(int fd, int status, const std::string& message);
  void close_waiting(int fd);
  void expire(std::chrono::steady_clock::time_point now);
  void start_draining();
  bool has_requests_under_way();
  std::chrono::steady_clock::time_point deadline_of(const Waiting& w) const;
  int poll_timeout_ms(std::chrono::steady_clock::time_point now) const;

  ReactorOptions options_;
  BodyBudget* budget_;
  std::function<void(ReadyConnection)> dispatch_;
  std::function<std::string(int, const std::string&)> refusal_;
  int wake_[2] = {-1, -1};

  std::mutex mutex_;  // guards inbox_, stopping_, busy_, at_gate_
  std::vector<Arrival> inbox_;
  bool stopping_ = false;
  bool finished_ = false;  // the loop has ended: nothing is taken back
  std::size_t busy_ = 0;     // connections handed to workers and not yet returned
  std::size_t at_gate_ = 0;  // of those, requests at the gate (under way, coming back or passed on)

  std::map<int, Waiting> waiting_;  // reactor thread only
  bool draining_ = false;           // reactor thread only: shutting down, finishing requests under way
  std::atomic<std::size_t> open_ = 0, bodies_ = 0;
  std::thread thread_;
};

}  // namespace soundlens::http
