#pragma once
// The options of the commands that only run the network over recordings'
// windows (train, evaluate, calibrate, robustness): --model-dir, --json,
// --help, and the analysis' own --window-s, --hop-s and --threads
// declarations, read into AnalysisOptions without a time limit.
#include <vector>

#include "analysis/analysis_options.h"
#include "core/parameters.h"

namespace soundlens {

std::vector<Parameter> embedding_pass_parameters();
AnalysisOptions embedding_pass_options(const ParameterValues& values);

}  // namespace soundlens
