#pragma once
// Content-Disposition of a download named after what a user chose (an
// uploaded recording's name): never a header another party's bytes can break.
#include <string>

namespace soundlens::http {

// `attachment; filename="<ASCII>"; filename*=UTF-8''<percent-encoded>` (RFC
// 6266, RFC 8187). The ASCII form keeps letters, digits, space and ".-_()+,";
// any other byte (quotes, backslashes, control characters, path separators,
// UTF-8) becomes '_'. The UTF-8 form percent-encodes every byte outside RFC
// 8187's attr-chars. An empty name is "download".
std::string attachment_disposition(const std::string& filename);

// The name of a download made from a recording: `recording` without its
// folders and its last extension, then `suffix` (".events.csv");
// `fallback` (the analysis id) when nothing (or only "." or "..") is left of it.
std::string download_name(const std::string& recording, const std::string& suffix, const std::string& fallback);

}  // namespace soundlens::http
