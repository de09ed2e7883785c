#pragma once
// One recording through two analyzers, then compared: what `soundlens compare`
// (and later the API's models=a,b) runs. The audio is decoded once by the caller.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/analysis.h"
#include "analysis/analysis_json.h"
#include "analysis_events/analysis_events.h"
#include "compare/compare.h"

namespace soundlens {

struct ModelRun {
  std::string model;
  Analysis analysis;
  AnalysisEvents events;
};

struct CompareRun {
  std::vector<ModelRun> runs;  // in the order asked for
  Comparison comparison;
  double compare_ms = 0;       // the comparison itself (the analyses time themselves)
};

// Analyses with each analyzer (the event classes explained in the same pass,
// top_k raised to the comparison's top so every shared class has a map), detects
// events with `events` (default: the default event options) and compares.
// Throws what the analyses throw.
CompareRun run_compare(const Analyzer& first, const Analyzer& second, const Audio& audio, AnalysisOptions options,
                       const CompareOptions& compare = {}, const AnalysisEventOptions& events = {});

// A compared model: one analyzer, or the fused model (analyzer its first
// part, fused_second its second: analysis_events/fused_analysis.h).
struct ComparedModel {
  const Analyzer* analyzer = nullptr;
  const Analyzer* fused_second = nullptr;
};
CompareRun run_compare(const ComparedModel& first, const ComparedModel& second, const Audio& audio,
                       AnalysisOptions options, const CompareOptions& compare = {},
                       const AnalysisEventOptions& events = {});

// {models: [names], results: {model: analysis JSON as `analyze --json` prints it}, agreement: {...}}
nlohmann::json compare_run_to_json(const CompareRun& run, const JsonOptions& options = {});

}  // namespace soundlens
