#include "http/server/connection_reactor.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>

namespace soundlens::http {
namespace {
using Clock = std::chrono::steady_clock;

void close_socket(int fd) {
  ::shutdown(fd, SHUT_RDWR);
  ::close(fd);
}

bool head_complete(const std::string& buffer) { return buffer.find("\r\n\r\n") != std::string::npos; }

// "120 s", or "1500 ms" when not whole seconds.
std::string duration_text(std::chrono::milliseconds d) {
  return d.count() % 1000 == 0 ? std::to_string(d.count() / 1000) + " s" : std::to_string(d.count()) + " ms";
}

constexpr std::size_t body_chunk = 256 * 1024;
constexpr std::size_t max_read_per_wake = 4u << 20;

}  // namespace

ConnectionReactor::ConnectionReactor(ReactorOptions options, BodyBudget* budget,
                                     std::function<void(ReadyConnection)> dispatch,
                                     std::function<std::string(int, const std::string&)> refusal)
    : options_(options), budget_(budget), dispatch_(std::move(dispatch)), refusal_(std::move(refusal)) {
  if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) throw std::runtime_error("cannot create the reactor's pipe");
  thread_ = std::thread([this] { loop(); });
}

ConnectionReactor::~ConnectionReactor() {
  shutdown();
  ::close(wake_[0]);
  ::close(wake_[1]);
}

void ConnectionReactor::add(int fd) {
  std::lock_guard lock(mutex_);
  if (stopping_) return close_socket(fd);
  inbox_.push_back({fd, "", false});
  [[maybe_unused]] auto ignored = ::write(wake_[1], "x", 1);
}

void ConnectionReactor::give_back(int fd, std::string leftover) {
  std::lock_guard lock(mutex_);
  if (stopping_) {
    --busy_;
    return close_socket(fd);
  }
  inbox_.push_back({fd, std::move(leftover), true});
  [[maybe_unused]] auto ignored = ::write(wake_[1], "x", 1);
}

void ConnectionReactor::linger(int fd) {
  ::shutdown(fd, SHUT_WR);
  std::lock_guard lock(mutex_);
  if (stopping_) {
    --busy_;
    return close_socket(fd);
  }
  inbox_.push_back({fd, "", true, Mode::linger});
  [[maybe_unused]] auto ignored = ::write(wake_[1], "x", 1);
}

void ConnectionReactor::collect_body(ReadyConnection connection) {
  std::lock_guard lock(mutex_);
  --at_gate_;
  // While shutting down, a request under way is still read and served; once the loop has ended, nothing is.
  if (finished_) {
    --busy_;
    return close_socket(connection.fd);
  }
  const int fd = connection.fd;
  inbox_.push_back({fd, "", true, Mode::body, std::move(connection)});
  [[maybe_unused]] auto ignored = ::write(wake_[1], "x", 1);
}

void ConnectionReactor::left_gate() {
  std::lock_guard lock(mutex_);
  --at_gate_;
  [[maybe_unused]] auto ignored = ::write(wake_[1], "x", 1);
}

void ConnectionReactor::close_served(int fd) {
  close_socket(fd);
  std::lock_guard lock(mutex_);
  --busy_;
}

void ConnectionReactor::shutdown() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    [[maybe_unused]] auto ignored = ::write(wake_[1], "x", 1);
  }
  if (thread_.joinable()) thread_.join();
}

void ConnectionReactor::loop() {
  std::vector<pollfd> polled;
  for (;;) {
    const auto now = Clock::now();
    expire(now);
    polled.clear();
    polled.push_back({wake_[0], POLLIN, 0});
    std::size_t bodies = 0;
    for (const auto& [fd, w] : waiting_) {
      polled.push_back({fd, POLLIN, 0});
      bodies += w.mode == Mode::body;
    }
    bodies_ = bodies;
    {
      std::lock_guard lock(mutex_);
      open_ = waiting_.size() + busy_;
    }
    const int n = ::poll(polled.data(), polled.size(), poll_timeout_ms(now));
    if (n < 0 && errno != EINTR) break;
    if (polled[0].revents != 0) {
      char drain[256];
      while (::read(wake_[0], drain, sizeof drain) > 0) {
      }
      std::lock_guard lock(mutex_);
      if (stopping_ && !draining_) draining_ = true;
    }
    take_inbox();
    if (draining_) start_draining();
    for (std::size_t i = 1; i < polled.size(); ++i)
      if (polled[i].revents != 0) on_readable(polled[i].fd);
    if (draining_ && !has_requests_under_way()) break;
  }
  for (const auto& [fd, _] : waiting_) close_socket(fd);
  waiting_.clear();
  std::lock_guard lock(mutex_);
  finished_ = true;
  for (const auto& arrival : inbox_) {
    close_socket(arrival.fd);
    if (arrival.returning) --busy_;
  }
  inbox_.clear();
}

// Idle keep-alive connections and lingering ones have nothing left to serve.
void ConnectionReactor::start_draining() {
  std::vector<int> idle;
  for (const auto& [fd, w] : waiting_)
    if (w.mode == Mode::linger || (w.mode == Mode::head && w.buffer.empty() && !w.fresh)) idle.push_back(fd);
  for (int fd : idle) close_waiting(fd);
}

bool ConnectionReactor::has_requests_under_way() {
  const bool here = std::any_of(waiting_.begin(), waiting_.end(), [](const auto& entry) {
    const Waiting& w = entry.second;
    return w.mode == Mode::body || (w.mode == Mode::head && (!w.buffer.empty() || w.fresh));
  });
  if (here) return true;
  // At the gate, or on their way back from it: checked with the arrivals under one lock, so that
  // none slips between (collect_body() puts the request in the inbox as it leaves the gate).
  std::lock_guard lock(mutex_);
  if (at_gate_ > 0 || !inbox_.empty()) return true;
  finished_ = true;
  return false;
}

void ConnectionReactor::take_inbox() {
  std::vector<Arrival> arrivals;
  {
    std::lock_guard lock(mutex_);
    arrivals.swap(inbox_);
  }
  for (auto& arrival : arrivals) admit(std::move(arrival));
}

void ConnectionReactor::admit(Arrival arrival) {
  if (arrival.returning) {
    std::lock_guard lock(mutex_);
    --busy_;
  } else {
    std::size_t busy;
    {
      std::lock_guard lock(mutex_);
      busy = busy_;
    }
    if (waiting_.size() + busy >= options_.max_connections) {
      // Full: an idle keep-alive connection makes room first; otherwise the newcomer is refused.
      auto idle = std::min_element(waiting_.begin(), waiting_.end(), [](const auto& a, const auto& b) {
        const auto key = [](const Waiting& w) { return std::make_pair(w.mode != Mode::head || !w.buffer.empty(), w.since); };
        return key(a.second) < key(b.second);
      });
      if (idle != waiting_.end() && idle->second.mode == Mode::head && idle->second.buffer.empty()) {
        close_waiting(idle->first);
      } else {
        refuse(arrival.fd, 503, "too many open connections; retry later");
        return;
      }
    }
  }
  const int fd = arrival.fd;
  if (arrival.mode == Mode::body) return start_body(fd, std::move(arrival.body));
  Waiting w;
  w.mode = arrival.mode;
  w.buffer = std::move(arrival.leftover);
  w.since = Clock::now();
  w.fresh = !arrival.returning;
  waiting_[fd] = std::move(w);
  if (arrival.mode == Mode::head) dispatch_if_complete(fd);
}

// A request the gate let in: its body is read here, into memory counted against the budget.
void ConnectionReactor::start_body(int fd, ReadyConnection request) {
  const auto now = Clock::now();
  request.body_start = now;
  // The client waits for this before it sends the body; the library must not send a second one.
  if (request.framing.expects_continue && request.buffered.size() == request.head_bytes) {
    static constexpr std::string_view go_on = "HTTP/1.1 100 Continue\r\n\r\n";
    [[maybe_unused]] auto ignored = ::send(fd, go_on.data(), go_on.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    request.head_bytes = erase_header(request.buffered, request.head_bytes, "Expect");
  }
  Waiting w;
  w.mode = Mode::body;
  w.since = request.first_byte;
  w.fresh = false;
  w.last_read = now;
  w.request = std::move(request);
  read_body(fd, waiting_[fd] = std::move(w));
}

void ConnectionReactor::on_readable(int fd) {
  auto it = waiting_.find(fd);
  if (it == waiting_.end()) return;
  if (it->second.mode == Mode::linger) {
    char drop[65536];
    const ssize_t n = ::recv(fd, drop, sizeof drop, MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
    if (n <= 0 || (it->second.drained += std::size_t(n)) > options_.max_linger_bytes) close_waiting(fd);
    return;
  }
  if (it->second.mode == Mode::body) return read_body(fd, it->second);
  char chunk[4096];
  const std::size_t room = options_.max_header_bytes + 1 - std::min(options_.max_header_bytes, it->second.buffer.size());
  const ssize_t n = ::recv(fd, chunk, std::min(sizeof chunk, room), MSG_DONTWAIT);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
  if (n <= 0) return close_waiting(fd);
  if (it->second.buffer.empty()) it->second.since = Clock::now();  // the request's first byte
  it->second.buffer.append(chunk, std::size_t(n));
  if (dispatch_if_complete(fd)) return;
  if (it->second.buffer.size() > options_.max_header_bytes)
    refuse(fd, 431, "the request line and headers are larger than " +
                        std::to_string(options_.max_header_bytes / 1024) + " KB");
}

BodyProgress read_available_body(int fd, ReadyConnection& request, std::size_t max_bytes) {
  std::string& buffer = request.buffered;
  const std::size_t need = request.head_bytes + std::size_t(request.framing.length);
  // Bytes that came with the head are counted first.
  const std::size_t held = std::min(buffer.size(), need) - request.head_bytes;
  if (held > request.held.bytes() && !request.held.try_take(held - request.held.bytes()))
    return BodyProgress::over_budget;
  for (std::size_t read = 0; buffer.size() < need && read < max_bytes;) {
    const std::size_t want = std::min(body_chunk, need - buffer.size());
    if (!request.held.try_take(want)) return BodyProgress::over_budget;
    const std::size_t had = buffer.size();
    buffer.resize(had + want);
    const ssize_t n = ::recv(fd, buffer.data() + had, want, MSG_DONTWAIT);
    buffer.resize(had + std::size_t(std::max<ssize_t>(n, 0)));
    request.held.give(want - std::size_t(std::max<ssize_t>(n, 0)));
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) break;
    if (n <= 0) return BodyProgress::closed;  // the client gave up
    read += std::size_t(n);
  }
  return buffer.size() >= need ? BodyProgress::complete : BodyProgress::waiting;
}

// Reads all that is there at once (up to a bound, for fairness): a wake-up per 64 KB made uploads
// wait for the reactor on a busy machine. Dispatches the request once it is whole; when the budget
// has no room for more, a worker reads the rest as it streams.
void ConnectionReactor::read_body(int fd, Waiting& w) {
  const std::size_t before = w.request.buffered.size();
  const BodyProgress progress = read_available_body(fd, w.request, max_read_per_wake);
  if (w.request.buffered.size() > before) w.last_read = Clock::now();
  if (progress == BodyProgress::waiting) return;
  if (progress == BodyProgress::closed) return close_waiting(fd);
  ReadyConnection ready = std::move(w.request);
  ready.stage = progress == BodyProgress::complete ? ReadyConnection::Stage::complete : ReadyConnection::Stage::stream;
  waiting_.erase(fd);
  dispatch(std::move(ready));
}

bool ConnectionReactor::dispatch_if_complete(int fd) {
  auto it = waiting_.find(fd);
  if (!head_complete(it->second.buffer)) return false;
  ReadyConnection ready;
  ready.fd = fd;
  ready.buffered = std::move(it->second.buffer);
  ready.first_byte = it->second.since;
  waiting_.erase(it);
  // A head this cannot read goes to the library as it is, which refuses it.
  if (const auto head = parse_head_lines(ready.buffered)) {
    ready.head_bytes = head->size;
    ready.framing = body_framing(*head);
  }
  if (ready.head_bytes > 0 && ready.framing.kind != BodyFraming::Kind::none) {
    ready.stage = ReadyConnection::Stage::head;
    ready.held = BodyBytes(budget_);
  }
  dispatch(std::move(ready));
  return true;
}

void ConnectionReactor::dispatch(ReadyConnection ready) {
  {
    std::lock_guard lock(mutex_);
    ++busy_;
    if (ready.stage == ReadyConnection::Stage::head) ++at_gate_;
    open_ = waiting_.size() + busy_;
  }
  dispatch_(std::move(ready));
}

void ConnectionReactor::refuse(int fd, int status, const std::string& message) {
  const std::string response = refusal_(status, message);
  // Best effort: the socket buffer of a fresh connection takes these few hundred bytes at once.
  [[maybe_unused]] auto ignored = ::send(fd, response.data(), response.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  if (waiting_.count(fd) != 0) waiting_.erase(fd);
  close_socket(fd);
}

// For a body cut off while it still arrives: the client gets to read the refusal, not a reset.
void ConnectionReactor::refuse_and_linger(int fd, int status, const std::string& message) {
  const std::string response = refusal_(status, message);
  [[maybe_unused]] auto ignored = ::send(fd, response.data(), response.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  ::shutdown(fd, SHUT_WR);
  Waiting w;
  w.mode = Mode::linger;
  w.since = Clock::now();
  waiting_[fd] = std::move(w);  // the body and its share of the budget go
}

void ConnectionReactor::close_waiting(int fd) {
  waiting_.erase(fd);
  close_socket(fd);
}

Clock::time_point ConnectionReactor::deadline_of(const Waiting& w) const {
  switch (w.mode) {
    case Mode::linger: return w.since + options_.linger_time;
    case Mode::body: {
      const std::size_t received = w.request.buffered.size() - w.request.head_bytes;
      return std::min({w.since + options_.request_timeout, w.last_read + options_.read_timeout,
                       options_.min_body_rate.too_slow_at(w.request.body_start, received)});
    }
    case Mode::head: break;
  }
  if (!w.buffer.empty()) return w.since + options_.header_timeout;
  if (draining_) return w.since + std::min(std::chrono::milliseconds(1000), options_.keep_alive_timeout);
  return w.since + options_.keep_alive_timeout;
}

void ConnectionReactor::expire(Clock::time_point now) {
  std::vector<int> expired;
  for (const auto& [fd, w] : waiting_)
    if (now >= deadline_of(w)) expired.push_back(fd);
  for (int fd : expired) {
    const Waiting& w = waiting_.at(fd);
    if (w.mode == Mode::body) {
      const std::size_t received = w.request.buffered.size() - w.request.head_bytes;
      if (now >= w.since + options_.request_timeout)
        refuse_and_linger(fd, 408, "the request was not received within " + duration_text(options_.request_timeout));
      else if (now >= options_.min_body_rate.too_slow_at(w.request.body_start, received))
        refuse_and_linger(fd, 408, options_.min_body_rate.refusal(received, now - w.request.body_start));
      else
        refuse_and_linger(fd, 408, "the client sent nothing for " + duration_text(options_.read_timeout));
    } else if (w.mode == Mode::head && !w.buffer.empty()) {
      refuse(fd, 408, "the request line and headers did not arrive within " +
                          std::to_string(options_.header_timeout.count()) + " ms");
    } else {
      close_waiting(fd);
    }
  }
}

int ConnectionReactor::poll_timeout_ms(Clock::time_point now) const {
  auto next = now + std::chrono::seconds(1);
  for (const auto& [fd, w] : waiting_) next = std::min(next, deadline_of(w));
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count() + 1;
  return int(std::max<long long>(ms, 0));
}

}  // namespace soundlens::http
