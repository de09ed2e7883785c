#pragma once
// An exclusive lock on a data directory for as long as the object lives
// (flock on DIR/.lock, released by the kernel also when the process dies).
// Internal to storage.
#include <filesystem>

namespace soundlens::storage {

class DirectoryLock {
 public:
  // Throws Error(internal) naming the directory and the holder's pid when it is taken.
  explicit DirectoryLock(const std::filesystem::path& dir);
  ~DirectoryLock();
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace soundlens::storage
