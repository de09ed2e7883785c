#include "raw_client.h"

#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <fstream>
#include <stdexcept>

namespace soundlens::test {

RawConnection::RawConnection(int port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(std::uint16_t(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    throw std::runtime_error("cannot connect to port " + std::to_string(port));
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawConnection::send(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(std::size_t(n));
  }
  return true;
}

bool RawConnection::readable(std::chrono::milliseconds wait) const {
  pollfd p{fd_, POLLIN, 0};
  return ::poll(&p, 1, int(wait.count())) > 0;
}

std::string RawConnection::read_response(std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  std::string data = std::move(pending_);
  pending_.clear();
  for (;;) {
    const auto head_end = data.find("\r\n\r\n");
    if (head_end != std::string::npos) {
      const std::string length = header_of(data, "Content-Length");
      const std::size_t total = head_end + 4 + (length.empty() ? 0 : std::stoul(length));
      if (!length.empty() && data.size() >= total) {
        pending_ = data.substr(total);
        data.resize(total);
        return data;
      }
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !readable(left)) return data;
    char chunk[65536];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return data;
    data.append(chunk, std::size_t(n));
  }
}

bool RawConnection::closed_by_server(std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !readable(left)) return false;
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return true;
  }
}

std::string raw_exchange(int port, const std::string& request, std::chrono::milliseconds wait) {
  RawConnection c(port);
  c.send(request);
  return c.read_response(wait);
}

std::string raw_get(int port, const std::string& target, const std::string& extra_headers) {
  return raw_exchange(port, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra_headers +
                                "Connection: close\r\n\r\n");
}

int status_of(const std::string& response) {
  if (response.rfind("HTTP/1.1 ", 0) != 0 || response.size() < 12) return 0;
  return std::stoi(response.substr(9, 3));
}

std::string header_of(const std::string& response, const std::string& name) {
  const auto head = response.substr(0, response.find("\r\n\r\n"));
  std::size_t line = head.find("\r\n");
  while (line != std::string::npos) {
    const auto start = line + 2;
    const auto end = head.find("\r\n", start);
    const std::string text = head.substr(start, end == std::string::npos ? std::string::npos : end - start);
    const auto colon = text.find(':');
    if (colon != std::string::npos && colon == name.size()) {
      bool same = true;
      for (std::size_t i = 0; i < colon; ++i)
        same = same && std::tolower(static_cast<unsigned char>(text[i])) ==
                           std::tolower(static_cast<unsigned char>(name[i]));
      if (same) {
        const auto value = text.find_first_not_of(' ', colon + 1);
        return value == std::string::npos ? "" : text.substr(value);
      }
    }
    line = end;
  }
  return "";
}

std::string body_of(const std::string& response) {
  const auto end = response.find("\r\n\r\n");
  return end == std::string::npos ? "" : response.substr(end + 4);
}

std::size_t resident_kb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stoul(line.substr(6));
  return 0;
}

std::string message_of(const std::string& response) {
  const auto body = nlohmann::json::parse(body_of(response), nullptr, false);
  if (!body.is_object() || !body.contains("error")) return "";
  return body["error"]["message"].get<std::string>();
}

}  // namespace soundlens::test
