// What both job stores share: the quota's refusal, the final states, and the
// shared-queue calls a store only one process uses does not have.
#include "storage/job_store.h"

#include "core/error.h"

namespace soundlens {

std::optional<JobRecord> JobStore::claim(const std::string&, std::chrono::milliseconds) {
  throw Error(ErrorCode::internal, "this job store is not shared");
}
JobStore::Renewal JobStore::renew(const JobRecord&, const std::string&, std::chrono::milliseconds) {
  throw Error(ErrorCode::internal, "this job store is not shared");
}
bool JobStore::finish(const JobRecord&, const std::string&) {
  throw Error(ErrorCode::internal, "this job store is not shared");
}
std::optional<JobRecord> JobStore::request_cancel(const std::string&) {
  throw Error(ErrorCode::internal, "this job store is not shared");
}

void check_job_quota(const JobQuota& quota, std::int64_t jobs, std::uint64_t bytes, std::uint64_t adding) {
  const auto set_by = [](const std::string& setting) { return setting.empty() ? "" : " (" + setting + ")"; };
  if (quota.max_jobs > 0 && jobs >= quota.max_jobs)
    throw Error(ErrorCode::quota_exceeded, "this user has " + std::to_string(jobs) +
                                               " jobs queued or running: the limit is " +
                                               std::to_string(quota.max_jobs) + " jobs per user" +
                                               set_by(quota.jobs_setting) +
                                               "; wait for some to finish (or cancel them)");
  if (quota.max_bytes > 0 && bytes + adding > quota.max_bytes) {
    const auto mb = [](std::uint64_t n) { return std::to_string((n + (1u << 20) - 1) >> 20) + " MB"; };
    throw Error(ErrorCode::quota_exceeded, "this user's jobs queued or running hold " + mb(bytes) +
                                               " of uploads and this one adds " + mb(adding) + ": the limit is " +
                                               mb(quota.max_bytes) + " per user" + set_by(quota.bytes_setting) +
                                               "; wait for some to finish");
  }
}

bool is_final_job_state(const std::string& state) {
  return state == "done" || state == "failed" || state == "cancelled";
}

}  // namespace soundlens
