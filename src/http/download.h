#pragma once
// Downloading a file over HTTPS (for `soundlens models pull`).
#include <cstdint>
#include <string>

namespace soundlens {

struct Download {
  std::int64_t bytes = 0;
  std::string md5_hex;
};

// Follows redirects and writes to `destination` (the caller verifies it and
// gives it its final name); removed on failure. Fails fast when offline.
Download download_file(const std::string& url, const std::string& destination);

}  // namespace soundlens
