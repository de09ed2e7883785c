#pragma once
// Downloading a file over HTTPS (for `soundlens models pull`).
#include <cstdint>
#include <string>

namespace soundlens {

struct Download {
  std::int64_t bytes = 0;
  std::string md5_hex;
};

// Follows redirects, writes to `destination` through a temporary file that is
// renamed only when complete. Fails fast when offline. Throws Error.
Download download_file(const std::string& url, const std::string& destination);

}  // namespace soundlens
