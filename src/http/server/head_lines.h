#pragma once
// A request's line and header lines as sent, read before the HTTP library
// sees the request: the connection reactor needs to know how the body is
// framed (to read it without a thread), and the gate needs the method, path
// and credentials (to refuse the request before its body is read). Lenient:
// anything this does not understand is left for the library to refuse.
// Internal to http; no library types.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace soundlens::http {

struct HeadLines {
  std::string method;
  std::string target;  // as sent: path and query, still percent-encoded
  std::vector<std::pair<std::string, std::string>> headers;  // names as sent, values trimmed
  std::size_t size = 0;  // bytes up to and including the blank line

  // The first header of that name (any case), if there is one.
  std::optional<std::string> header(std::string_view name) const;
  std::size_t count(std::string_view name) const;
};

// nullopt until the blank line has arrived, or when the request line is not "METHOD TARGET VERSION".
std::optional<HeadLines> parse_head_lines(std::string_view bytes);

// How the body that follows a head is delimited.
struct BodyFraming {
  enum class Kind {
    none,     // no body: the request is complete with its head
    length,   // Content-Length bytes
    chunked,  // Transfer-Encoding: chunked
    unclear,  // a body of unknown or contradictory length (or a bad header): for the gate to refuse or a worker to read
  };
  Kind kind = Kind::none;
  std::uint64_t length = 0;       // for Kind::length
  bool expects_continue = false;  // Expect: 100-continue
};

BodyFraming body_framing(const HeadLines& head);

// Removes every header line of that name from the head at the start of
// `bytes` (`head_size` bytes long); returns the new head size. For a header
// the server has already acted on (Expect: 100-continue, answered before the
// body was read), so that the library does not act on it again.
std::size_t erase_header(std::string& bytes, std::size_t head_size, std::string_view name);

}  // namespace soundlens::http
