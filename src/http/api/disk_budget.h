#pragma once
// The server-wide disk budget: an upload that would leave less than the
// reserve free on the data directory's file system is refused with 507
// (insufficient_storage) before anything of it is written, so the disk never
// fills up under the database and the recordings. Internal to http.
#include <cstdint>

namespace soundlens::http {

struct ServiceConfig;

// The free space kept, in bytes, for a file system of `capacity` bytes:
// min_free_disk_mb, or with -1 2 % of the file system, at least 1 GB and at most 5 GB (the
// file system keeps its own reserve for root besides: "available" excludes it).
std::uint64_t disk_reserve_bytes(const ServiceConfig& config, std::uint64_t capacity);
// Throws Error(insufficient_storage) when writing `incoming` bytes would pass the budget.
// Nothing to check without a data directory (nothing is written) or with a reserve of 0.
void check_disk_budget(const ServiceConfig& config, std::uint64_t incoming);

}  // namespace soundlens::http
