#pragma once
// soundlens analyze --report OUT.pdf: the PDF report of one analysed file.
#include <string>

#include "analysis/analysis.h"

namespace soundlens {

// Places the events (the options must have asked for their classes, see
// ask_for_event_classes) and writes the report of `file` to `path`.
// Throws Error(bad_request) when the file cannot be written.
void write_report_pdf(const std::string& path, const std::string& file, const Analyzer& analyzer, const Audio& audio,
                      const Analysis& analysis, const AnalysisOptions& options);

}  // namespace soundlens
