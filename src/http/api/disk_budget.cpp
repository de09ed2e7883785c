#include "http/api/disk_budget.h"

#include <algorithm>
#include <filesystem>
#include <string>

#include "core/error.h"
#include "http/api/service.h"

namespace soundlens::http {
namespace {
constexpr std::uint64_t mb = 1u << 20;
std::string in_mb(std::uint64_t bytes) { return std::to_string(bytes / mb) + " MB"; }
}  // namespace

std::uint64_t disk_reserve_bytes(const ServiceConfig& config, std::uint64_t capacity) {
  if (config.min_free_disk_mb >= 0) return std::uint64_t(config.min_free_disk_mb) * mb;
  return std::clamp<std::uint64_t>(capacity / 50, 1024 * mb, 5120 * mb);
}

void check_disk_budget(const ServiceConfig& config, std::uint64_t incoming) {
  if (config.data_dir.empty() || config.min_free_disk_mb == 0) return;
  std::error_code ec;
  const auto space = std::filesystem::space(config.data_dir, ec);
  if (ec) return;  // not there yet (created at start) or not readable: the write itself will say
  const std::uint64_t reserve = disk_reserve_bytes(config, space.capacity);
  if (space.available >= reserve && space.available - reserve >= incoming) return;
  throw Error(ErrorCode::insufficient_storage,
              "the server's disk is nearly full: " + in_mb(space.available) + " free on the data directory's "
              "file system, and it keeps " + in_mb(reserve) + " free (--min-free-disk-mb); this upload needs " +
              in_mb(incoming + mb - 1) + ". Try again later or ask the administrator to make room");
}

}  // namespace soundlens::http
