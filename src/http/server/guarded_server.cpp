#include "http/server/guarded_server.h"

#include <sys/socket.h>

#include <string_view>

#include "http/server/connection_stream.h"

namespace soundlens::http {

// Worker threads taking ready connections in order. shutdown() serves what
// was already handed over (their heads have arrived: they are in flight),
// then joins.
class GuardedServer::Lane {
 public:
  Lane(int threads, std::function<void(ReadyConnection)> work) : work_(std::move(work)) {
    for (int i = 0; i < std::max(1, threads); ++i) threads_.emplace_back([this] { run(); });
  }
  ~Lane() { shutdown(); }

  void post(ReadyConnection connection) {
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(std::move(connection));
    }
    ready_.notify_one();
  }

  // Takes the connection only while fewer than `max_in_flight` are queued or being served.
  bool try_post(ReadyConnection& connection, std::size_t max_in_flight) {
    {
      std::lock_guard lock(mutex_);
      if (queue_.size() + std::size_t(running_) >= max_in_flight) return false;
      queue_.push_back(std::move(connection));
    }
    ready_.notify_one();
    return true;
  }

  int threads() const { return int(threads_.size()); }
  int running() const {
    std::lock_guard lock(mutex_);
    return running_;
  }
  std::size_t queued() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
  }

  void shutdown() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    ready_.notify_all();
    for (auto& t : threads_)
      if (t.joinable()) t.join();
  }

 private:
  void run() {
    for (;;) {
      ReadyConnection connection;
      {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;
        connection = std::move(queue_.front());
        queue_.pop_front();
        ++running_;
      }
      work_(std::move(connection));
      std::lock_guard lock(mutex_);
      --running_;
    }
  }

  std::function<void(ReadyConnection)> work_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<ReadyConnection> queue_;
  int running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

// The library's accept loop hands each accepted socket to a task queue; this
// one runs the task at once on the accept thread, where it only passes the
// socket to the reactor. Its shutdown (the accept loop has ended) closes
// waiting connections and finishes the requests in flight.
class GuardedServer::InlineQueue final : public httplib::TaskQueue {
 public:
  explicit InlineQueue(GuardedServer* server) : server_(server) {}
  void enqueue(std::function<void()> fn) override { fn(); }
  void shutdown() override { server_->shutdown_connections(); }

 private:
  GuardedServer* server_;
};

namespace {

// "GET /health HTTP/1.1", also with a query: probes get their own workers.
bool is_probe(const std::string& head) {
  for (std::string_view method : {"GET /health", "HEAD /health"}) {
    if (head.compare(0, method.size(), method) != 0) continue;
    const char next = head.size() > method.size() ? head[method.size()] : '\0';
    return next == ' ' || next == '?';
  }
  return false;
}

// Refusals are a few hundred bytes: the socket buffer takes them at once.
void send_best_effort(int fd, const std::string& bytes) {
  [[maybe_unused]] auto ignored = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}

}  // namespace

GuardedServer::GuardedServer(ConnectionLimits limits, std::function<std::string(int, const std::string&)> refusal,
                             std::function<std::optional<std::string>(const HeadLines&)> gate, bool gate_may_block)
    : limits_(limits),
      refusal_(refusal),
      gate_(std::move(gate)),
      gate_may_block_(gate_may_block),
      budget_(limits.body_memory_bytes) {
  const auto work = [this](ReadyConnection c) { serve(std::move(c)); };
  main_lane_ = std::make_unique<Lane>(limits_.worker_threads, work);
  probe_lane_ = std::make_unique<Lane>(limits_.probe_threads, work);
  stream_lane_ = std::make_unique<Lane>(limits_.body_streams, work);
  gate_lane_ = std::make_unique<Lane>(limits_.gate_threads, [this](ReadyConnection c) { pass_gate(std::move(c)); });
  reactor_ = std::make_unique<ConnectionReactor>(
      limits_.reactor, &budget_, [this](ReadyConnection c) { dispatch(std::move(c)); }, std::move(refusal));
  new_task_queue = [this] { return new InlineQueue(this); };
  set_socket_options([this](int sock) {
    httplib::default_socket_options(sock);
    listen_socket_ = sock;
  });
  set_keep_alive_timeout(std::max<long>(1, long(limits_.reactor.keep_alive_timeout.count() / 1000)));
}

GuardedServer::~GuardedServer() { shutdown_connections(); }

ServerLoad GuardedServer::load() const {
  ServerLoad load;
  load.workers = main_lane_->threads();
  load.workers_busy = main_lane_->running();
  load.requests_waiting = main_lane_->queued();
  load.connections = reactor_->open_connections();
  load.max_connections = reactor_->max_connections();
  load.bodies_in_memory = reactor_->bodies_being_read();
  load.body_bytes = budget_.used();
  load.body_bytes_limit = budget_.limit();
  load.body_streams = stream_lane_->threads();
  load.body_streams_busy = int(stream_lane_->running() + stream_lane_->queued());
  return load;
}

void GuardedServer::widen_backlog() {
  if (listen_socket_ >= 0) ::listen(listen_socket_, SOMAXCONN);  // on a listening socket: sets the backlog
}

bool GuardedServer::process_and_close_socket(int sock) {
  reactor_->add(sock);
  return true;
}

void GuardedServer::dispatch(ReadyConnection c) {
  switch (c.stage) {
    case ReadyConnection::Stage::head:
      return gate_may_block_ ? gate_lane_->post(std::move(c)) : pass_gate(std::move(c));
    case ReadyConnection::Stage::stream: return to_stream_lane(std::move(c));
    case ReadyConnection::Stage::complete:
      return (is_probe(c.buffered) ? probe_lane_ : main_lane_)->post(std::move(c));
  }
}

// The head alone decides whether the body is read at all; then how: in memory by the reactor
// (a Content-Length within its bound), or by a stream worker.
void GuardedServer::pass_gate(ReadyConnection c) {
  const auto head = parse_head_lines(c.buffered);
  if (const auto refusal = head ? gate_(*head) : std::optional<std::string>()) {
    send_best_effort(c.fd, *refusal);
    reactor_->linger(c.fd);
    return reactor_->left_gate();
  }
  c.body_start = ReadyConnection::Clock::now();
  if (c.framing.kind == BodyFraming::Kind::length && c.framing.length <= limits_.reactor.max_buffered_body) {
    // A body that has already arrived (a fast client) goes straight to a worker; one still
    // coming goes back to the reactor, which reads it as it comes.
    const bool waits_for_continue = c.framing.expects_continue && c.buffered.size() == c.head_bytes;
    const BodyProgress progress = waits_for_continue ? BodyProgress::waiting
                                                     : read_available_body(c.fd, c, 4u << 20);
    if (progress == BodyProgress::waiting) return reactor_->collect_body(std::move(c));
    if (progress == BodyProgress::closed) {
      reactor_->close_served(c.fd);
      return reactor_->left_gate();
    }
    if (progress == BodyProgress::complete) {
      c.stage = ReadyConnection::Stage::complete;
      main_lane_->post(std::move(c));
      return reactor_->left_gate();
    }
  }
  c.stage = ReadyConnection::Stage::stream;
  to_stream_lane(std::move(c));
  reactor_->left_gate();
}

void GuardedServer::to_stream_lane(ReadyConnection c) {
  const int fd = c.fd;
  if (stream_lane_->try_post(c, std::size_t(stream_lane_->threads()))) return;
  refuse_and_linger(fd, 503,
                    "the server is already reading " + std::to_string(stream_lane_->threads()) +
                        " request bodies as they stream (chunked, larger than " +
                        std::to_string(limits_.reactor.max_buffered_body >> 20) +
                        " MB, or beyond the memory it keeps for bodies); retry later");
}

void GuardedServer::refuse_and_linger(int fd, int status, const std::string& message) {
  send_best_effort(fd, refusal_(status, message));
  reactor_->linger(fd);
}

void GuardedServer::serve(ReadyConnection connection) {
  const int fd = connection.fd;
  const auto body_start = connection.stage == ReadyConnection::Stage::stream ? connection.body_start
                                                                             : ReadyConnection::Clock::now();
  ConnectionStream stream(fd, std::move(connection.buffered),
                          {connection.first_byte + limits_.request_timeout,
                           limits_.max_body_bytes + limits_.reactor.max_header_bytes, limits_.read_timeout_ms,
                           limits_.write_timeout_ms, limits_.reactor.min_body_rate, body_start});
  bool closed_by_request = false;
  bool ok = false;
  {
    ConnectionStream::Scope scope(&stream);
    ok = process_request(stream, stopping_, closed_by_request, nullptr);
  }
  // A refused body may still be arriving: linger so that the client reads the refusal, not a reset.
  if (stream.must_close() && stream.stop() != ConnectionStream::Stop::closed_by_client) reactor_->linger(fd);
  else if (!ok || closed_by_request || stopping_ || stream.must_close()) reactor_->close_served(fd);
  else reactor_->give_back(fd, stream.take_leftover());
}

void GuardedServer::shutdown_connections() {
  if (stopping_.exchange(true)) return;
  reactor_->shutdown();     // no new requests: waiting connections are closed, bodies under way are read
  gate_lane_->shutdown();
  probe_lane_->shutdown();  // requests in flight are finished
  stream_lane_->shutdown();
  main_lane_->shutdown();
}

}  // namespace soundlens::http
