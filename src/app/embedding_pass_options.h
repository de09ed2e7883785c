#pragma once
// The options of a pass that only runs the network over a recording's windows
// (train, evaluate): the analysis' own --window-s, --hop-s and --threads
// declarations, read into AnalysisOptions without a time limit.
#include <vector>

#include "analysis/analysis_options.h"
#include "core/parameters.h"

namespace soundlens {

std::vector<Parameter> embedding_pass_parameters();
AnalysisOptions embedding_pass_options(const ParameterValues& values);

}  // namespace soundlens
