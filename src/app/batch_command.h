#pragma once
// soundlens analyze DIR --out-dir OUT [--resume]: every audio file under DIR
// analysed with the same options as one file, its outputs written under OUT
// at its relative path (app/batch_output.h), then OUT/batch.csv and
// OUT/events.csv. A file that fails does not stop the others. Exit code: 0
// when every audio file is done, 1 when some failed, 130 when stopped by
// Ctrl-C (after the current file, with the tables of the files so far).
#include <string>
#include <vector>

#include "service/file_analysis/file_analysis.h"
#include "core/parameters.h"

namespace soundlens {

// --out-dir and --resume, declared once (part of analyze's parameters).
const std::vector<Parameter>& batch_parameters();

// True when the command names a folder; then it must be the only input and
// --out-dir is required, and outputs named by a path (--figure, --report, ...)
// and --json are refused: Error(bad_request). --out-dir or --resume with files: Error(bad_request).
bool is_batch_folder(const std::vector<std::string>& inputs, const ParameterValues& p);

int run_analyze_folder(const std::string& dir, const ParameterValues& p, FileAnalysisSetup setup);

}  // namespace soundlens
