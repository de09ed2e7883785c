#include "http/server/request_guard.h"

#include <algorithm>
#include <cctype>

namespace soundlens::http {
namespace {

std::string lower(std::string text) {
  for (auto& c : text) c = char(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// "Example.org:8000" -> "example.org"; "[::1]:80" -> "[::1]". nullopt if the port is not digits.
std::optional<std::string> host_name(const std::string& host) {
  std::string name = lower(trim(host));
  std::size_t port_colon = std::string::npos;
  if (!name.empty() && name.front() == '[') {
    const auto close = name.find(']');
    if (close == std::string::npos) return std::nullopt;
    if (close + 1 < name.size()) {
      if (name[close + 1] != ':') return std::nullopt;
      port_colon = close + 1;
    }
  } else {
    port_colon = name.find(':');
  }
  if (port_colon != std::string::npos) {
    const std::string port = name.substr(port_colon + 1);
    if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit)) return std::nullopt;
    name.erase(port_colon);
  }
  if (!name.empty() && name.back() == '.') name.pop_back();  // "localhost." is localhost
  return name;
}

bool is_wildcard_address(const std::string& host) { return host.empty() || host == "0.0.0.0" || host == "::"; }

}  // namespace

HostAllowList::HostAllowList(const std::string& configured, const std::string& bind_host) {
  std::vector<std::string> entries;
  if (trim(configured).empty()) {
    entries = {"localhost", "127.0.0.1", "[::1]"};
    if (!is_wildcard_address(bind_host))
      entries.push_back(bind_host.find(':') != std::string::npos && bind_host.front() != '[' ? "[" + bind_host + "]"
                                                                                             : bind_host);
  } else {
    for (std::size_t start = 0; start <= configured.size();) {
      const auto comma = std::min(configured.find(',', start), configured.size());
      const std::string entry = trim(configured.substr(start, comma - start));
      if (entry == "*") any_ = true;
      else if (!entry.empty()) entries.push_back(entry);
      start = comma + 1;
    }
  }
  for (const auto& entry : entries)
    if (auto name = host_name(entry); name && !name->empty() &&
                                      std::find(names_.begin(), names_.end(), *name) == names_.end())
      names_.push_back(*name);
}

bool HostAllowList::allows(const std::string& host_header) const {
  if (any_) return true;
  const auto name = host_name(host_header);
  return name && std::find(names_.begin(), names_.end(), *name) != names_.end();
}

std::string HostAllowList::describe() const {
  if (any_) return "*";
  std::string out;
  for (const auto& name : names_) out += (out.empty() ? "" : ", ") + name;
  return out;
}

std::string size_limit_text(std::size_t bytes) {
  if (bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MB";
  return std::to_string(bytes) + " bytes";
}

std::optional<Refusal> check_request_head(const RequestHead& head, const HostAllowList& hosts,
                                          const GuardLimits& limits) {
  // HTTP/1.1 requires Host; a request without one cannot come from a browser page.
  if (head.host && !hosts.allows(*head.host))
    return Refusal{400, ErrorCode::bad_request,
                   "this service does not answer to the host name in the Host header; allowed: " + hosts.describe() +
                       " (see --allowed-hosts)"};
  if (head.content_encoding && lower(trim(*head.content_encoding)) != "identity" &&
      !trim(*head.content_encoding).empty())
    return Refusal{415, ErrorCode::unsupported_format,
                   "compressed request bodies (Content-Encoding: " + trim(*head.content_encoding) +
                       ") are not accepted; send the file as it is"};
  if (head.transfer_encoding && lower(trim(*head.transfer_encoding)) != "chunked")
    return Refusal{400, ErrorCode::bad_request,
                   "Transfer-Encoding '" + trim(*head.transfer_encoding) + "' is not supported; only chunked is"};
  if (head.content_length) {
    const std::string text = trim(*head.content_length);
    if (text.empty() || text.size() > 19 || !std::all_of(text.begin(), text.end(), ::isdigit))
      return Refusal{400, ErrorCode::bad_request, "the Content-Length header is not a number of bytes"};
    if (std::stoull(text) > limits.max_body_bytes)
      return Refusal{413, ErrorCode::too_large,
                     "upload larger than the limit of " + size_limit_text(limits.max_upload_bytes)};
  }
  return std::nullopt;
}

}  // namespace soundlens::http
