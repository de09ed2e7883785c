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

}  // namespace

std::string job_parameters(const AnalysisRequest& request) { return analysis_request_json(request).dump(); }

AnalysisRequest analysis_job_request(const JobRecord& job) { return analysis_request_from_json(job.parameters_json); }

JobRunner::Work analysis_job_work(std::shared_ptr<const AnalysisPipeline> pipeline, std::shared_ptr<JobStore> jobs,
                                  std::shared_ptr<AuthStore> audit, JobWorkHooks hooks) {
  return [pipeline = std::move(pipeline), jobs = std::move(jobs), audit = std::move(audit),
          hooks = std::move(hooks)](const JobRecord& job, JobContext& context) {
    return run_analysis_job(*pipeline, *jobs, audit.get(), hooks, job, context);
  };
}

}  // namespace soundlens::service
