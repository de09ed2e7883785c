#pragma once
// Batches: several recordings in one request (POST /api/v1/batches, one
// multipart `file` field per recording), each run as a job; GET
// /api/v1/batches/{id} gives each file's state, read from its job. Internal to http.
#include <cstddef>

#include "http/api/routes.h"

namespace soundlens::http {

// The most files one batch may hold (the body is also bounded by --max-upload-mb).
inline constexpr std::size_t kMaxBatchFiles = 20;

// Opens the batch store beside the jobs (needs start_jobs first).
void start_batches(ServiceState& state);
void add_batch_routes(ServiceState& state, HandlerMap& handlers);  // createBatch, getBatch

}  // namespace soundlens::http
