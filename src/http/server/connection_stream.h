#pragma once
// One request's view of a client connection, for the HTTP library. Internal
// to http (it includes httplib). Unlike the library's own stream, reading is
// bounded as a whole: every read fails once the request's deadline has
// passed (headers and body together, not per read, so a client sending a
// byte every few seconds cannot hold a worker) or once more bytes than the
// request may have were read (so a chunked body is cut off while it streams,
// not buffered whole first) or once the body arrives slower than the
// minimum rate (MinBodyRate, from when the body began). The stream
// remembers why it stopped, for the error message.
#include <httplib.h>

#include <chrono>
#include <cstddef>
#include <string>

#include "http/server/body_limits.h"

namespace soundlens::http {

class ConnectionStream final : public httplib::Stream {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Stop { none, deadline, too_many_bytes, closed_by_client, read_timeout, too_slow };

  struct Limits {
    Clock::time_point deadline;   // for everything this request reads
    std::size_t max_read_bytes;   // headers + body
    int read_timeout_ms;          // for one read
    int write_timeout_ms;         // for one write
    MinBodyRate min_body_rate;    // for the body, on average
    Clock::time_point body_start; // when the body began to be read
  };

  // `buffered`: bytes of this request (and possibly the next) already read by the connection reactor.
  ConnectionStream(int fd, std::string buffered, Limits limits);

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, std::size_t size) override;
  ssize_t write(const char* ptr, std::size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  int socket() const override { return fd_; }

  Stop stop() const { return stop_; }
  // Bytes of the body handed to the library so far (after the request head).
  std::size_t body_bytes_read() const { return consumed_ > head_bytes_ ? consumed_ - head_bytes_ : 0; }
  // Why a body was too slow (Stop::too_slow): its bytes, time and rate, and the minimum.
  std::string too_slow_message() const;
  // Bytes read from the connection but not consumed by this request (a pipelined next request).
  std::string take_leftover();
  // The request was answered without reading its body: the connection cannot carry another one.
  void close_after_response() { close_after_response_ = true; }
  bool must_close() const { return close_after_response_ || stop_ != Stop::none; }
  // The last whole line the library read (its first 64 bytes, without CR LF):
  // when a chunked body fails, the chunk-size line it choked on.
  const std::string& last_line() const { return last_line_; }

  // The stream of the request being served on this thread (nullptr outside one).
  static ConnectionStream* current();
  class Scope {
   public:
    explicit Scope(ConnectionStream* stream);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
  };

 private:
  bool fill();  // reads more from the socket into buffer_; false with stop_ set
  void note_line(char byte);  // keeps line_ and last_line_ up to date
  std::size_t body_received() const { return read_total_ > head_bytes_ ? read_total_ - head_bytes_ : 0; }
  int wait_limit_ms() const;  // until the next read fails: its timeout, the deadline, the minimum rate

  int fd_;
  std::string buffer_;
  std::size_t offset_ = 0;
  std::size_t read_total_ = 0;  // bytes taken into buffer_, including the reactor's
  std::size_t consumed_ = 0;     // bytes handed out by read()
  std::size_t head_bytes_ = 0;   // request line and headers, up to the blank line
  Limits limits_;
  Stop stop_ = Stop::none;
  bool close_after_response_ = false;
  std::string line_, last_line_;  // the line being read, the last whole one
};

}  // namespace soundlens::http
