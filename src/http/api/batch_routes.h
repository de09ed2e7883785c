#pragma once
// Batches: several recordings in one request (POST /api/v1/batches, one
// multipart `file` field per recording), each run as a job; GET
// /api/v1/batches/{id} gives each file's state, read from its job. Internal to http.
#include "http/api/batch_limits.h"
#include "http/api/routes.h"

namespace soundlens::http {

// Opens the batch store beside the jobs (needs start_jobs first).
void start_batches(ServiceState& state);
void add_batch_routes(ServiceState& state, HandlerMap& handlers);  // createBatch, getBatch

}  // namespace soundlens::http
