#pragma once
// Checks on a request's head, before any of its body is read: the Host it
// names, how its body is encoded and how large it says it is. Pure functions
// of plain values (the server passes the headers in).
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace soundlens::http {

// The host names the service answers to, against DNS rebinding: a page on
// another site that makes its own name resolve to this machine still sends
// its own name in Host. A name matches with any port or none; names are
// compared without case; IPv6 addresses are written in brackets ("[::1]").
class HostAllowList {
 public:
  // `configured`: comma-separated names, or "*" for any; empty = the bind
  // address (unless it is a wildcard such as 0.0.0.0), localhost, 127.0.0.1 and [::1].
  HostAllowList(const std::string& configured, const std::string& bind_host);
  bool allows(const std::string& host_header) const;
  std::string describe() const;  // for messages: "localhost, 127.0.0.1, ..."

 private:
  bool any_ = false;
  std::vector<std::string> names_;  // lower case, without port
};

struct RequestHead {
  std::string method;
  std::optional<std::string> host;
  std::optional<std::string> content_length;
  std::optional<std::string> content_encoding;
  std::optional<std::string> transfer_encoding;
};

struct Refusal {
  int status;
  ErrorCode code;
  std::string message;
};

struct GuardLimits {
  std::size_t max_body_bytes;    // the whole body, multipart envelope included
  std::size_t max_upload_bytes;  // the configured upload limit, as people set it
};

// The first reason to refuse the request without reading its body, if any.
std::optional<Refusal> check_request_head(const RequestHead& head, const HostAllowList& hosts,
                                          const GuardLimits& limits);

// "100 MB" for whole megabytes, else bytes: the limit as configured.
std::string size_limit_text(std::size_t bytes);

}  // namespace soundlens::http
