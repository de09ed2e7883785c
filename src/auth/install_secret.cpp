#include "auth/install_secret.h"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "auth/keys.h"
#include "core/error.h"

namespace soundlens::auth {
namespace fs = std::filesystem;

std::string load_or_create_install_secret(const std::string& data_dir) {
  const fs::path path = fs::path(data_dir) / "auth.secret";
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::ifstream in(path);
    std::string secret;
    if (in && std::getline(in, secret)) {
      if (secret.size() != 64) throw Error(ErrorCode::internal, "the install secret " + path.string() + " is damaged");
      return secret;
    }
    std::error_code error;
    // The data directory is its owner's only (storage makes it so too; whichever opens it first creates it).
    if (fs::create_directories(data_dir, error)) fs::permissions(data_dir, fs::perms::owner_all, error);
    // O_EXCL: when two processes start at once, one creates it and the other reads it.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
      if (errno == EEXIST) continue;
      throw Error(ErrorCode::internal, "cannot create the install secret " + path.string());
    }
    const std::string fresh = random_hex(32) + "\n";
    const bool written = ::write(fd, fresh.data(), fresh.size()) == ssize_t(fresh.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!written) {
      fs::remove(path, error);
      throw Error(ErrorCode::internal, "cannot write the install secret " + path.string());
    }
    return fresh.substr(0, 64);
  }
  throw Error(ErrorCode::internal, "cannot read the install secret " + path.string());
}

}  // namespace soundlens::auth
