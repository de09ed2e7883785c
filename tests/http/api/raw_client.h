#pragma once
// A plain TCP client for what a polite HTTP client will not send: hostile
// paths byte for byte, slow or endless bodies, stalled requests.
#include <chrono>
#include <string>
#include <string_view>

namespace soundlens::test {

class RawConnection {
 public:
  explicit RawConnection(int port);  // to 127.0.0.1
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool send(std::string_view bytes);  // false once the server has closed or reset
  bool readable(std::chrono::milliseconds wait) const;
  // One response: the head and a Content-Length body, or whatever came before the server closed or `wait` ran out.
  std::string read_response(std::chrono::milliseconds wait = std::chrono::seconds(10));
  bool closed_by_server(std::chrono::milliseconds wait);  // EOF or reset within `wait`
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
  std::string pending_;
};

// The whole exchange of one request on a new connection.
std::string raw_exchange(int port, const std::string& request,
                         std::chrono::milliseconds wait = std::chrono::seconds(10));
std::string raw_get(int port, const std::string& target, const std::string& extra_headers = "");
int status_of(const std::string& response);  // 0 if there is none
std::string header_of(const std::string& response, const std::string& name);
std::string body_of(const std::string& response);
// The JSON error body's message ("" when the body is not one).
std::string message_of(const std::string& response);
std::size_t resident_kb();  // of this process

}  // namespace soundlens::test
