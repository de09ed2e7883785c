#include "storage/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.h"
#include "storage/ids.h"

namespace soundlens::storage {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void fail(const std::string& what, const fs::path& path) {
  throw Error(ErrorCode::internal, what + " " + path.string() + ": " + std::strerror(errno));
}

void write_all(int fd, std::span<const std::uint8_t> bytes, const fs::path& path) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("cannot write", path);
    done += std::size_t(n);
  }
}

void sync_directory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) fail("cannot open directory", dir);
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

void write_file_atomically(const fs::path& target, std::span<const std::uint8_t> bytes) {
  const fs::path dir = target.parent_path();
  const fs::path temp = dir / (std::string(temp_prefix) + new_id());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, private_file_mode);
  if (fd < 0) fail("cannot create", temp);
  try {
    write_all(fd, bytes, temp);
    if (::fsync(fd) != 0) fail("cannot sync", temp);
    if (::close(fd) != 0) {
      remove_quietly(temp);
      fail("cannot close", temp);
    }
  } catch (...) {
    ::close(fd);
    remove_quietly(temp);
    throw;
  }
  if (::rename(temp.c_str(), target.c_str()) != 0) {
    const int saved = errno;
    remove_quietly(temp);
    errno = saved;
    fail("cannot rename onto", target);
  }
  sync_directory(dir);
}

void create_private_directory(const fs::path& dir, bool narrow) {
  if (dir.empty()) return;
  // Parents first, each made 0700 when missing (fs::create_directories would make them 0777 & ~umask).
  fs::path partial;
  for (const auto& part : dir) {
    partial /= part;
    if (::mkdir(partial.c_str(), private_directory_mode) != 0 && errno != EEXIST) fail("cannot create directory", partial);
  }
  if (!fs::is_directory(dir)) throw Error(ErrorCode::internal, "not a directory: " + dir.string());
  if (narrow && ::chmod(dir.c_str(), private_directory_mode) != 0) fail("cannot restrict the permissions of", dir);
}

void make_private_file(const fs::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, private_file_mode);
  if (fd < 0) fail("cannot create", file);
  // EPERM: a file of another user (a database shared on purpose) is left as it is.
  const bool narrowed = ::fchmod(fd, private_file_mode) == 0 || errno == EPERM;
  const int saved = errno;
  ::close(fd);
  errno = saved;
  if (!narrowed) fail("cannot restrict the permissions of", file);
}

void remove_quietly(const fs::path& path) {
  std::error_code ignored;
  fs::remove_all(path, ignored);
}

}  // namespace soundlens::storage
