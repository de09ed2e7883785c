#include "storage/dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "core/error.h"
#include "storage/files.h"

namespace soundlens::storage {

DirectoryLock::DirectoryLock(const std::filesystem::path& dir) {
  const auto path = dir / ".lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, private_file_mode);
  if (fd_ < 0)
    throw Error(ErrorCode::internal, "cannot open the lock file of the data directory " + dir.string() + ": " +
                                         std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int saved = errno;
    char holder[32] = {};
    [[maybe_unused]] auto ignored = ::pread(fd_, holder, sizeof holder - 1, 0);
    ::close(fd_);
    fd_ = -1;
    if (saved == EWOULDBLOCK)
      throw Error(ErrorCode::internal,
                  "the data directory " + dir.string() + " is in use by another soundlens process" +
                      (holder[0] != '\0' ? " (pid " + std::string(holder, ::strcspn(holder, "\n")) + ")" : "") +
                      "; stop it or choose another --data-dir");
    throw Error(ErrorCode::internal, "cannot lock the data directory " + dir.string() + ": " + std::strerror(saved));
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  // Only for the message a second process shows: failing to write it changes nothing else.
  if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, pid.data(), pid.size(), 0) < 0) {
  }
}

DirectoryLock::~DirectoryLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the lock
}

}  // namespace soundlens::storage
