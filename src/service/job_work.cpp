#include "service/job_work.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <thread>

#include "core/cancel_token.h"
#include "core/error.h"
#include "service/audit.h"

namespace soundlens::service {
namespace {

using namespace std::chrono_literals;

// The overall fraction at the start of each stage of a job, and its share.
struct StageSpan {
  double start, share;
};
StageSpan stage_span(const std::string& stage) {
  if (stage == "windows") return {0.02, 0.43};
  if (stage == "explain") return {0.45, 0.10};
  if (stage == "events") return {0.55, 0.40};
  return {0.95, 0.05};  // store
}

constexpr const char* kCancelled = "the job was cancelled";

// The job's model (its request's, else the default), once the default is loaded.
std::shared_ptr<const Analyzer> wait_for_model(const AnalysisPipeline& pipeline, const CancelToken& stop,
                                               const std::string& model) {
  while (!pipeline.models().default_ready()) {
    stop.check();
    std::this_thread::sleep_for(200ms);
  }
  return pipeline.analyzer(model);
}

// The audit log's "create" of a job's analysis, in the name of whoever submitted the job.
void audit_job_analysis(AuthStore* audit, const JobRecord& job, const std::string& analysis_id) {
  AuditRecord record;
  record.user_id = job.owner;
  record.user_name = job.owner_name;
  record.key_id = job.key_id;
  record.action = "create";
  record.analysis_id = analysis_id;
  record.detail = "job " + job.id;
  append_audit(audit, record);
}

std::string run_analysis_job(const AnalysisPipeline& pipeline, JobStore& jobs, AuthStore* audit,
                             const JobWorkHooks& hooks, const JobRecord& job, JobContext& context) {
  // It stored its analysis before the process died: done, not run twice.
  if (auto existing = jobs.analysis_of_job(job.id)) return *existing;
  // Inside the explanation of one batch of windows the methods report their own progress (occlusion
  // per batch of passes): it moves the job from the explain stage's last report towards the next, the
  // next step taken as large as the last one (all the rest while none is known: one batch of windows,
  // which is all the slow methods' explanation budget allows).
  struct {
    double at = 0, step = 1;
  } explain;
  const auto explain_progress = [&context, &explain](double inside) {
    const StageSpan span = stage_span("explain");
    const double fraction = explain.at + std::clamp(inside, 0.0, 1.0) * std::min(explain.step, 1 - explain.at);
    context.report("explain", span.start + span.share * fraction);
  };
  // The one way to stop: asked per batch of windows and inside the explanation methods' loops,
  // so a cancelled occlusion stops within a batch of passes.
  const CancelToken stop([&context] { return context.stop_requested(); }, kCancelled, explain_progress);
  const AnalysisRequest request = analysis_job_request(job);
  const auto analyzer = wait_for_model(pipeline, stop, request.model);
  AnalysisPlan plan = pipeline.plan(*analyzer, request);
  plan.options.stop = &stop;
  plan.options.progress = [&context, &explain](const std::string& stage, double fraction) {
    if (stage == "explain" && fraction > explain.at) {
      explain.step = fraction - explain.at;
      explain.at = fraction;
    }
    const StageSpan span = stage_span(stage);
    context.report(stage, span.start + span.share * fraction);
  };
  const std::vector<std::uint8_t> upload = jobs.read_upload(job.id);
  const std::string_view bytes(reinterpret_cast<const char*>(upload.data()), upload.size());

  AnalysedUpload analysed;
  {
    const std::shared_ptr<void> slot = hooks.enter_slot ? hooks.enter_slot(context) : nullptr;
    context.report("decode", 0.0);
    // Streamed from the upload's bytes: an overnight recording is never decoded whole.
    analysed = pipeline.analyse_upload(*analyzer, bytes, plan);
  }
  stop.check();
  context.report("store", 0.95);
  const std::string id = pipeline.store_analysis(analysed, plan, job.filename, bytes, job.owner, job.id).stored.id;
  audit_job_analysis(audit, job, id);
  if (hooks.stored) hooks.stored(job, analysed.analysis.duration_s);
  return id;
}

// A comparison's job (request.models): the upload analysed by each model in turn, each analysis stored
// (as its own upload with that model would be) under the part id "<job>-<n>", so that a job that died after
// storing one runs only the other. Each model is its share of the progress, its stage named with the model
// and its place ("yamnet (2 of 2): windows"). Returns the two ids, comma-separated, in the models' order:
// GET /api/v1/compare?a=&b= compares them.
std::string run_compare_job(const AnalysisPipeline& pipeline, JobStore& jobs, AuthStore* audit,
                            const JobWorkHooks& hooks, const JobRecord& job, JobContext& context,
                            const AnalysisRequest& request) {
  const CancelToken stop([&context] { return context.stop_requested(); }, kCancelled);
  const std::vector<std::uint8_t> upload = jobs.read_upload(job.id);
  const std::string_view bytes(reinterpret_cast<const char*>(upload.data()), upload.size());
  const std::size_t parts = request.models.size();
  double analysed_s = 0;
  // The analysis by model i, stored; its id.
  const auto analyse_part = [&](std::size_t i) -> std::string {
    const std::string part_id = job.id + "-" + std::to_string(i + 1);
    if (auto existing = jobs.analysis_of_job(part_id)) return *existing;
    const std::string step = request.models[i] + " (" + std::to_string(i + 1) + " of " + std::to_string(parts) + ")";
    const auto at = [&](double fraction) { return (double(i) + std::clamp(fraction, 0.0, 1.0)) / double(parts); };
    context.report(step + ": waiting for the model", at(0));
    AnalysisRequest one = request;
    one.models.clear();
    one.model = request.models[i];
    const auto analyzer = wait_for_model(pipeline, stop, one.model);
    AnalysisPlan plan = pipeline.plan(*analyzer, one);
    // Both analyses are of the same bytes, or they cannot be compared (and a comparison plays the audio).
    if (plan.redact || !plan.store_audio)
      throw Error(ErrorCode::bad_request, "comparing models is not available where speech is silenced before "
                                          "storing or recordings are not kept: analyse with each model on its own");
    plan.options.stop = &stop;
    plan.options.progress = [&](const std::string& stage, double fraction) {
      const StageSpan span = stage_span(stage);
      context.report(step + ": " + stage, at(span.start + span.share * fraction));
    };
    AnalysedUpload analysed;
    {
      const std::shared_ptr<void> slot = hooks.enter_slot ? hooks.enter_slot(context) : nullptr;
      context.report(step + ": decode", at(0));
      analysed = pipeline.analyse_upload(*analyzer, bytes, plan);
    }
    stop.check();
    context.report(step + ": store", at(0.95));
    const std::string id = pipeline.store_analysis(analysed, plan, job.filename, bytes, job.owner, part_id).stored.id;
    audit_job_analysis(audit, job, id);
    analysed_s = analysed.analysis.duration_s;
    return id;
  };
  std::vector<std::string> ids;
  try {
    for (std::size_t i = 0; i < parts; ++i) ids.push_back(analyse_part(i));
  } catch (...) {
    // All or nothing, as a comparison uploaded at once: a cancelled or failed one leaves no analysis.
    for (const auto& id : ids) pipeline.remove_analysis(id);
    throw;
  }
  // The recording's seconds, once: a comparison is charged as one upload.
  if (hooks.stored) hooks.stored(job, analysed_s);
  return ids[0] + "," + ids[1];
}

}  // namespace

std::string job_parameters(const AnalysisRequest& request) { return analysis_request_json(request).dump(); }

AnalysisRequest analysis_job_request(const JobRecord& job) { return analysis_request_from_json(job.parameters_json); }

JobRunner::Work analysis_job_work(std::shared_ptr<const AnalysisPipeline> pipeline, std::shared_ptr<JobStore> jobs,
                                  std::shared_ptr<AuthStore> audit, JobWorkHooks hooks) {
  return [pipeline = std::move(pipeline), jobs = std::move(jobs), audit = std::move(audit),
          hooks = std::move(hooks)](const JobRecord& job, JobContext& context) {
    const AnalysisRequest request = analysis_job_request(job);
    if (!request.models.empty()) return run_compare_job(*pipeline, *jobs, audit.get(), hooks, job, context, request);
    return run_analysis_job(*pipeline, *jobs, audit.get(), hooks, job, context);
  };
}

}  // namespace soundlens::service
