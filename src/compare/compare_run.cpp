#include "compare/compare_run.h"

#include <algorithm>
#include <chrono>

#include "analysis_events/fused_analysis.h"
#include "compare/compare_json.h"

namespace soundlens {
namespace {

ModelRun analyse(const ComparedModel& model, const Audio& audio, AnalysisOptions options,
                 const AnalysisEventOptions& events) {
  const Analyzer& analyzer = *model.analyzer;
  if (model.fused_second) {
    auto fused = fused_analyze({model.analyzer, model.fused_second}, audio, options, events);
    return {fused.analysis.model, std::move(fused.analysis), std::move(fused.events)};
  }
  ask_for_event_classes(options, analyzer, events);
  ModelRun run;
  run.model = analyzer.model().info().name;
  run.analysis = analyzer.analyze(audio, options);
  run.events = analysis_events(analyzer, audio, run.analysis, options, events);
  return run;
}

}  // namespace

CompareRun run_compare(const Analyzer& first, const Analyzer& second, const Audio& audio, AnalysisOptions options,
                       const CompareOptions& compare, const AnalysisEventOptions& events) {
  return run_compare(ComparedModel{&first}, ComparedModel{&second}, audio, std::move(options), compare, events);
}

CompareRun run_compare(const ComparedModel& first, const ComparedModel& second, const Audio& audio,
                       AnalysisOptions options, const CompareOptions& compare, const AnalysisEventOptions& events) {
  options.top_k = std::max(options.top_k, compare.top);
  CompareRun out;
  out.runs.push_back(analyse(first, audio, options, events));
  out.runs.push_back(analyse(second, audio, options, events));
  const auto t0 = std::chrono::steady_clock::now();
  const auto& a = out.runs[0];
  const auto& b = out.runs[1];
  out.comparison = compare_runs({a.model, &a.analysis, &a.events.result.events},
                                {b.model, &b.analysis, &b.events.result.events}, compare);
  out.compare_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

nlohmann::json compare_run_to_json(const CompareRun& run, const JsonOptions& options) {
  nlohmann::json models = nlohmann::json::array(), results = nlohmann::json::object();
  for (const auto& r : run.runs) {
    models.push_back(r.model);
    results[r.model] = analysis_to_json(r.analysis, options);
  }
  return {{"models", models}, {"results", results}, {"agreement", agreement_to_json(run.comparison)}};
}

}  // namespace soundlens
