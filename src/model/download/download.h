#pragma once
// Downloading a file over HTTPS (for `soundlens models pull`). The one file of
// model/ that uses httplib: built as soundlens_model_download, apart from the
// model stage, so that neither the stage nor its users link the HTTP library.
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
