#include "http/server/connection_stream.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace soundlens::http {
namespace {

thread_local ConnectionStream* current_stream = nullptr;

int ms_until(ConnectionStream::Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - ConnectionStream::Clock::now());
  return int(std::clamp<long long>(left.count(), 0, 1 << 30));
}

int wait_for(int fd, short events, int timeout_ms) {
  pollfd p{fd, events, 0};
  for (;;) {
    const int n = ::poll(&p, 1, timeout_ms);
    if (n < 0 && errno == EINTR) continue;
    return n;
  }
}

void ip_and_port(const sockaddr_storage& addr, socklen_t length, std::string& ip, int& port) {
  char host[NI_MAXHOST] = "", service[NI_MAXSERV] = "";
  if (::getnameinfo(reinterpret_cast<const sockaddr*>(&addr), length, host, sizeof host, service, sizeof service,
                    NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
    ip = host;
    port = std::atoi(service);
  }
}

}  // namespace

ConnectionStream::ConnectionStream(int fd, std::string buffered, Limits limits)
    : fd_(fd), buffer_(std::move(buffered)), read_total_(buffer_.size()), limits_(limits) {
  const auto end = buffer_.find("\r\n\r\n");
  head_bytes_ = end == std::string::npos ? 0 : end + 4;
}

int ConnectionStream::wait_limit_ms() const {
  return std::min({limits_.read_timeout_ms, ms_until(limits_.deadline),
                   ms_until(limits_.min_body_rate.too_slow_at(limits_.body_start, body_received()))});
}

bool ConnectionStream::is_readable() const {
  return offset_ < buffer_.size() || wait_for(fd_, POLLIN, wait_limit_ms()) > 0;
}

bool ConnectionStream::is_writable() const { return wait_for(fd_, POLLOUT, limits_.write_timeout_ms) > 0; }

bool ConnectionStream::fill() {
  if (stop_ != Stop::none) return false;
  if (read_total_ >= limits_.max_read_bytes) {
    stop_ = Stop::too_many_bytes;
    return false;
  }
  const int wait_ms = wait_limit_ms();
  if (wait_ms <= 0 || wait_for(fd_, POLLIN, wait_ms) <= 0) {
    if (ms_until(limits_.deadline) <= 0) stop_ = Stop::deadline;
    else if (ms_until(limits_.min_body_rate.too_slow_at(limits_.body_start, body_received())) <= 0) stop_ = Stop::too_slow;
    else stop_ = Stop::read_timeout;
    return false;
  }
  char chunk[16384];
  const std::size_t want = std::min(sizeof chunk, limits_.max_read_bytes - read_total_);
  ssize_t n;
  do n = ::recv(fd_, chunk, want, MSG_DONTWAIT);
  while (n < 0 && errno == EINTR);
  if (n <= 0) {
    stop_ = Stop::closed_by_client;
    return false;
  }
  buffer_.erase(0, offset_);
  offset_ = 0;
  buffer_.append(chunk, std::size_t(n));
  read_total_ += std::size_t(n);
  return true;
}

ssize_t ConnectionStream::read(char* ptr, std::size_t size) {
  if (offset_ >= buffer_.size() && !fill()) return -1;
  const std::size_t n = std::min(size, buffer_.size() - offset_);
  std::memcpy(ptr, buffer_.data() + offset_, n);
  // The library reads lines (the request head, chunk-size lines) a byte at a
  // time and bodies in blocks: a block is no line.
  if (size == 1) note_line(*ptr);
  else line_.clear();
  offset_ += n;
  consumed_ += n;
  return ssize_t(n);
}

void ConnectionStream::note_line(char byte) {
  if (byte != '\n') {
    if (line_.size() < 64) line_ += byte;
    return;
  }
  last_line_.swap(line_);
  line_.clear();
  if (!last_line_.empty() && last_line_.back() == '\r') last_line_.pop_back();
}

ssize_t ConnectionStream::write(const char* ptr, std::size_t size) {
  if (wait_for(fd_, POLLOUT, limits_.write_timeout_ms) <= 0) return -1;
  ssize_t n;
  do n = ::send(fd_, ptr, size, MSG_NOSIGNAL | MSG_DONTWAIT);
  while (n < 0 && errno == EINTR);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return 0;
  return n;
}

void ConnectionStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage addr{};
  socklen_t length = sizeof addr;
  if (::getpeername(fd_, reinterpret_cast<sockaddr*>(&addr), &length) == 0) ip_and_port(addr, length, ip, port);
}

void ConnectionStream::get_local_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage addr{};
  socklen_t length = sizeof addr;
  if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &length) == 0) ip_and_port(addr, length, ip, port);
}

std::string ConnectionStream::too_slow_message() const {
  return limits_.min_body_rate.refusal(body_received(), Clock::now() - limits_.body_start);
}

std::string ConnectionStream::take_leftover() {
  std::string rest = buffer_.substr(offset_);
  buffer_.clear();
  offset_ = 0;
  return rest;
}

ConnectionStream* ConnectionStream::current() { return current_stream; }
ConnectionStream::Scope::Scope(ConnectionStream* stream) { current_stream = stream; }
ConnectionStream::Scope::~Scope() { current_stream = nullptr; }

}  // namespace soundlens::http
