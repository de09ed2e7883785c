#include "http/api/batch_routes.h"

#include <optional>
#include <set>

#include "analysis/analysis_options.h"
#include "analysis_events/event_options.h"
#include "auth/roles.h"
#include "core/error.h"
#include "http/api/upload_request.h"
#include "http/api/disk_budget.h"
#include "http/api/form_fields.h"
#include "http/api/job_routes.h"
#include "http/api/route_table.h"
#include "storage/batch_store.h"

namespace soundlens::http {
namespace {

BatchStore& store_or_400(ServiceState& state) {
  if (!state.jobs || !state.batch_store)
    throw Error(ErrorCode::bad_request, "this server runs no jobs (it has no data directory), so no batches");
  return *state.batch_store;
}

// The files of the request, in order; anything else than a file in `file`
// or an option the route table declares is refused, before any job is made.
std::vector<const UploadedPart*> batch_files(const Request& request) {
  const auto files = declared_form_files(request, route_spec("createBatch"));
  if (files.empty())
    throw Error(ErrorCode::bad_request, "no file: send each recording as a multipart/form-data field named 'file'");
  if (files.size() > kMaxBatchFiles)
    throw Error(ErrorCode::too_large, "a batch holds at most " + std::to_string(kMaxBatchFiles) + " files (got " +
                                          std::to_string(files.size()) + ")");
  return files;
}

nlohmann::json error_json(const std::string& code, const std::string& message) {
  return {{"code", code}, {"message", message}};
}

// Each item as its job says now; the batch is running until every item is final.
nlohmann::json batch_json(ServiceState& state, const BatchRecord& batch) {
  auto items = nlohmann::json::array();
  bool running = false, errors = false;
  for (const auto& item : batch.items) {
    nlohmann::json j = {{"index", item.index},    {"filename", item.filename}, {"job_id", nullptr},
                        {"state", "failed"},      {"progress", 0.0},           {"analysis_id", nullptr},
                        {"error", nullptr}};
    if (item.job_id.empty()) {
      j["error"] = error_json(item.error_code, item.error_message);
    } else if (const auto job = state.jobs->get(item.job_id)) {
      j["job_id"] = job->id;
      j["state"] = job->state;
      j["progress"] = job->progress;
      if (!job->analysis_id.empty()) j["analysis_id"] = job->analysis_id;
      if (!job->error_code.empty()) j["error"] = error_json(job->error_code, job->error_message);
    } else {
      j["job_id"] = item.job_id;
      j["error"] = error_json("not_found", "the job is no longer kept (--retention-days)");
    }
    const std::string item_state = j["state"];
    running |= !is_final_job_state(item_state);
    errors |= item_state != "done";
    items.push_back(std::move(j));
  }
  return {{"id", batch.id},
          {"state", running ? "running" : errors ? "done_with_errors" : "done"},
          {"created_at", batch.created_at},
          {"items", items}};
}

Response create_batch(ServiceState& state, const Request& request) {
  BatchStore& store = store_or_400(state);
  const auto files = batch_files(request);
  // The options are checked once, as for one upload, before any job exists.
  const auto analyzer = state.analyzer(request.param("model"));
  (void)state.pipeline->plan(*analyzer, analysis_request(request));

  std::uint64_t bytes = 0;
  for (const auto* file : files) bytes += file->content.size();
  check_disk_budget(state.config, bytes);

  BatchRecord batch;
  if (request.caller) batch.owner = request.caller->user_id;
  for (std::size_t i = 0; i < files.size(); ++i) batch.items.push_back({int(i), service::display_filename(files[i]->filename)});
  const auto fail_item = [](BatchItemRecord& item, const Error& e) {  // this file only (e.g. empty): its item says why
    item.error_code = std::string(error_code_name(e.code()));
    item.error_message = e.what();
  };
  // Each file is charged to the key's audio budget when it is queued, with the length its container
  // states, as if sent alone: the files past the budget fail alone (rate_limited), as do those past
  // the user's quota. When not one file could be queued for those, the batch is refused as one upload is.
  std::optional<Error> refusal;
  bool queued = false;
  for (std::size_t i = 0; i < files.size(); ++i) {
    try {
      batch.items[i].job_id = submit_job(state, request, *files[i]).id;
      queued = true;
    } catch (const Error& e) {
      fail_item(batch.items[i], e);
      if (!refusal && (e.code() == ErrorCode::rate_limited || e.code() == ErrorCode::quota_exceeded)) refusal = e;
    }
  }
  if (!queued && refusal) throw *refusal;
  BatchRecord stored;
  try {
    stored = store.create(batch);
  } catch (...) {
    for (const auto& item : batch.items)
      if (!item.job_id.empty()) {
        state.jobs->cancel(item.job_id);  // no batch: nothing of it runs
        state.job_audio_charges.failed(state.rate_limiter, item.job_id);
      }
    throw;
  }
  Response response = Response::json(202, batch_json(state, stored));
  response.headers.emplace_back("Location", "/api/v1/batches/" + stored.id);
  return response;
}

// The batch, if the caller may see it: another user's batch is 404 as if unknown.
Response get_batch(ServiceState& state, const Request& request) {
  const std::string& id = request.path_params.at("id");
  const auto batch = store_or_400(state).get(id);
  if (!batch || (request.caller && !auth::may_see(*request.caller, batch->owner ? &*batch->owner : nullptr)))
    throw Error(ErrorCode::not_found, id.size() == 32 ? "no batch with id " + quoted_value(id) : "no such batch");
  return Response::json(200, batch_json(state, *batch));
}

}  // namespace

void start_batches(ServiceState& state) {
  if (!state.jobs) return;
  state.batch_store = state.config.database.empty() ? open_sqlite_batches(state.config.data_dir)
                                                    : open_postgres_batches(state.config.database);
}

void add_batch_routes(ServiceState& state, HandlerMap& handlers) {
  handlers["createBatch"] = [&state](const Request& r) { return create_batch(state, r); };
  handlers["getBatch"] = [&state](const Request& r) { return get_batch(state, r); };
}

}  // namespace soundlens::http
