#include "http/connection_reactor.h"

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

}  // namespace

ConnectionReactor::ConnectionReactor(ReactorOptions options, std::function<void(ReadyConnection)> dispatch,
                                     std::function<std::string(int, const std::string&)> refusal)
    : options_(options), dispatch_(std::move(dispatch)), refusal_(std::move(refusal)) {
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
  inbox_.push_back({fd, "", true, true});
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
    for (const auto& [fd, _] : waiting_) polled.push_back({fd, POLLIN, 0});
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
    if (w.lingering || (w.buffer.empty() && !w.fresh)) idle.push_back(fd);
  for (int fd : idle) close_waiting(fd);
}

bool ConnectionReactor::has_requests_under_way() const {
  return std::any_of(waiting_.begin(), waiting_.end(),
                     [](const auto& entry) { return !entry.second.buffer.empty() || entry.second.fresh; });
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
        return std::make_pair(!a.second.buffer.empty(), a.second.since) <
               std::make_pair(!b.second.buffer.empty(), b.second.since);
      });
      if (idle != waiting_.end() && idle->second.buffer.empty()) {
        close_waiting(idle->first);
      } else {
        refuse(arrival.fd, 503, "too many open connections; retry later");
        return;
      }
    }
  }
  const int fd = arrival.fd;
  waiting_[fd] = {std::move(arrival.leftover), Clock::now(), arrival.lingering, 0, !arrival.returning};
  if (!arrival.lingering) dispatch_if_complete(fd);
}

void ConnectionReactor::on_readable(int fd) {
  auto it = waiting_.find(fd);
  if (it == waiting_.end()) return;
  if (it->second.lingering) {
    char drop[65536];
    const ssize_t n = ::recv(fd, drop, sizeof drop, MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
    if (n <= 0 || (it->second.drained += std::size_t(n)) > options_.max_linger_bytes) close_waiting(fd);
    return;
  }
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

bool ConnectionReactor::dispatch_if_complete(int fd) {
  auto it = waiting_.find(fd);
  if (!head_complete(it->second.buffer)) return false;
  ReadyConnection ready{fd, std::move(it->second.buffer), it->second.since};
  waiting_.erase(it);
  {
    std::lock_guard lock(mutex_);
    ++busy_;
  }
  dispatch_(std::move(ready));
  return true;
}

void ConnectionReactor::refuse(int fd, int status, const std::string& message) {
  const std::string response = refusal_(status, message);
  // Best effort: the socket buffer of a fresh connection takes these few hundred bytes at once.
  [[maybe_unused]] auto ignored = ::send(fd, response.data(), response.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  if (waiting_.count(fd) != 0) waiting_.erase(fd);
  close_socket(fd);
}

void ConnectionReactor::close_waiting(int fd) {
  waiting_.erase(fd);
  close_socket(fd);
}

std::chrono::milliseconds ConnectionReactor::limit_for(const Waiting& w) const {
  if (w.lingering) return options_.linger_time;
  if (!w.buffer.empty()) return options_.header_timeout;
  if (draining_) return std::chrono::milliseconds(std::min<long long>(1000, options_.keep_alive_timeout.count()));
  return options_.keep_alive_timeout;
}

void ConnectionReactor::expire(Clock::time_point now) {
  std::vector<std::pair<int, bool>> expired;  // fd, had a partial request
  for (const auto& [fd, w] : waiting_) {
    if (now - w.since >= limit_for(w)) expired.emplace_back(fd, !w.buffer.empty());
  }
  for (const auto& [fd, partial] : expired) {
    if (partial)
      refuse(fd, 408, "the request line and headers did not arrive within " +
                          std::to_string(options_.header_timeout.count()) + " ms");
    else
      close_waiting(fd);
  }
}

int ConnectionReactor::poll_timeout_ms(Clock::time_point now) const {
  auto next = now + std::chrono::seconds(1);
  for (const auto& [fd, w] : waiting_)
    next = std::min(next, w.since + limit_for(w));
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count() + 1;
  return int(std::max<long long>(ms, 0));
}

}  // namespace soundlens::http
