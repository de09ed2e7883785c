// `soundlens worker --database ...`: runs the jobs that servers queued in
// PostgreSQL, without listening anywhere and without any HTTP part. It runs
// the service's job work on the same pipeline a server builds (so a job is
// analysed, redacted and stored exactly as `serve` would do it) on its own
// job threads; SIGTERM/SIGINT give running jobs back to the queue before exiting.
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <iostream>
#include <thread>

#include "analysis/analysis.h"
#include "analysis/analysis_options.h"
#include "app/commands.h"
#include "app/serve_command.h"
#include "app/stores.h"
#include "analysis_events/fused_analysis.h"
#include "core/error.h"
#include "core/parameters.h"
#include "jobs/job_runner.h"
#include "app/calibration_option.h"
#include "model/model.h"
#include "model/model_registry.h"
#include "service/job_work.h"
#include "storage/job_store.h"

namespace soundlens {
namespace {
using Kind = Parameter::Kind;

const std::vector<Parameter>& worker_parameters() {
  static const std::vector<Parameter> all = [] {
    std::vector<Parameter> declared{
        database_parameter(),
        Parameter{"data-dir", "the local, disposable cache (recordings being analysed, figures)", "./data",
                  Kind::text, 0, 0, {}},
        Parameter{"jobs", "jobs run at once", "1", Kind::integer, 1, 1024, {}},
        Parameter{"threads", "inference threads per job; 0 = the cores not busy with other work at start", "1", Kind::integer, 0, 1024, {}},
        job_lease_parameter(),
        Parameter{"model", "the default model (a job's own `model` field wins)", "mn04_as", Kind::text, 0, 0, {}},
        Parameter{"model-dir", "directory searched first for model files", "", Kind::text, 0, 0, {}},
        calibration_parameter(),
        Parameter{"max-duration-s", "longest accepted recording in seconds (as on the servers)", "3600",
                  Kind::number, 1, 86400, {}},
        // Privacy settings apply where the analysis is stored, which is here: keep them as on the servers.
        Parameter{"store-audio", "keep uploaded recordings: yes or no (as on the servers)", "yes", Kind::text, 0, 0,
                  {"yes", "no"}},
        Parameter{"redact-speech", "silence speech before analysing and storing (as on the servers)", "", Kind::flag,
                  0, 0, {}},
        Parameter{"redact-speech-threshold", "with --redact-speech: the speech probability from which a span is "
                  "silenced (as on the servers)", "0.3", Kind::number, 0.01, 1, {}},
    };
    declared.insert(declared.end(), analysis_limit_parameters().begin(), analysis_limit_parameters().end());
    declared.push_back(Parameter{"help", "show this help", "", Kind::flag, 0, 0, {}});
    return declared;
  }();
  return all;
}

}  // namespace

int run_worker(const std::vector<std::string>& args) {
  const auto& declared = worker_parameters();
  const ParsedCommandLine line = parse_parameters(declared, args);
  const ParameterValues& p = line.parameters;
  if (p.flag("help")) {
    std::cout << "usage: soundlens worker --database postgresql://... [options]\n\n" << parameters_help(declared);
    return 0;
  }
  if (!line.positional.empty())
    throw Error(ErrorCode::bad_request, "worker takes no positional arguments: " + line.positional[0]);
  if (database_conninfo(p).empty())
    throw Error(ErrorCode::bad_request, "worker needs --database postgresql://...: it takes its jobs from PostgreSQL");

  ::umask(077);  // the local cache holds recordings: the owner's only, as in `serve`
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const auto search_path = model_search_path(p.text("model-dir"));
  if (is_fused_model(p.text("model")))  // jobs asking for model=fused run it; the default is one network
    throw Error(ErrorCode::bad_request, "--model fused: a worker's default model is one network; jobs that ask for "
                                        "model=fused run it whatever the default");
  if (!find_model(p.text("model"), search_path).found) load_model(p.text("model"), search_path);  // its message
  const auto labels = load_labels(search_path);
  const auto calibration = served_calibration(p.text("calibration"), p.text("model"), search_path, *labels);
  set_inference_threads(int(p.integer("threads")));

  service::PipelineSettings settings;
  settings.model_name = p.text("model");
  settings.model_search_path = search_path;
  settings.max_duration_s = p.number("max-duration-s");
  settings.limits = analysis_limits(p);
  settings.store_audio = p.text("store-audio") == "yes";
  if (p.flag("redact-speech")) settings.redact = RedactionOptions{.threshold = p.number("redact-speech-threshold")};
  const int threads = int(p.integer("jobs"));
  const std::string conninfo = database_conninfo(p);
  const Stores stores = open_stores(p);
  // Jobs need the model: it is loaded before the threads claim anything.
  auto model = load_model(settings.model_name, search_path);
  if (calibration) model = calibrated(std::move(model), *calibration, p.text("calibration"), labels.get());
  auto pipeline = std::make_shared<service::AnalysisPipeline>(settings, stores.analyses);
  pipeline->models().set_default(std::make_shared<Analyzer>(model, labels));
  const std::shared_ptr<JobStore> job_store = open_postgres_jobs(conninfo);
  JobRunnerOptions options;
  options.lease = std::chrono::milliseconds(std::int64_t(p.number("job-lease-s") * 1000));
  // Its job threads are its only analyses: no admission gate to share, no audio budget held here.
  JobRunner runner(job_store, threads, service::analysis_job_work(pipeline, job_store, stores.auth), options);
  runner.recover();
  std::cout << "soundlens " << SOUNDLENS_VERSION << ": worker running " << threads << " job(s) at once (model "
            << settings.model_name << (calibration ? ", calibrated by " + p.text("calibration") : std::string()) << ", "
            << stores.where << ")" << std::endl;

  while (true) {
    const timespec tick{1, 0};
    if (sigtimedwait(&signals, nullptr, &tick) > 0) break;
  }
  std::cerr << "{\"event\":\"shutdown\",\"reason\":\"signal\"}" << std::endl;
  runner.shutdown();  // running jobs go back to the queue for another worker
  return 0;
}

}  // namespace soundlens
