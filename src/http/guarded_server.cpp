#include "http/guarded_server.h"

#include <string_view>

#include "http/connection_stream.h"

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
      }
      work_(std::move(connection));
    }
  }

  std::function<void(ReadyConnection)> work_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<ReadyConnection> queue_;
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

}  // namespace

GuardedServer::GuardedServer(ConnectionLimits limits, std::function<std::string(int, const std::string&)> refusal)
    : limits_(limits) {
  main_lane_ = std::make_unique<Lane>(limits_.worker_threads, [this](ReadyConnection c) { serve(std::move(c)); });
  probe_lane_ = std::make_unique<Lane>(limits_.probe_threads, [this](ReadyConnection c) { serve(std::move(c)); });
  reactor_ = std::make_unique<ConnectionReactor>(
      limits_.reactor,
      [this](ReadyConnection c) { (is_probe(c.buffered) ? probe_lane_ : main_lane_)->post(std::move(c)); },
      std::move(refusal));
  new_task_queue = [this] { return new InlineQueue(this); };
  set_keep_alive_timeout(std::max<long>(1, long(limits_.reactor.keep_alive_timeout.count() / 1000)));
}

GuardedServer::~GuardedServer() { shutdown_connections(); }

bool GuardedServer::process_and_close_socket(int sock) {
  reactor_->add(sock);
  return true;
}

void GuardedServer::serve(ReadyConnection connection) {
  const int fd = connection.fd;
  ConnectionStream stream(fd, std::move(connection.buffered),
                          {connection.first_byte + limits_.request_timeout,
                           limits_.max_body_bytes + limits_.reactor.max_header_bytes, limits_.read_timeout_ms,
                           limits_.write_timeout_ms});
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
  reactor_->shutdown();     // no new requests: waiting connections are closed
  probe_lane_->shutdown();  // requests in flight are finished
  main_lane_->shutdown();
}

}  // namespace soundlens::http
