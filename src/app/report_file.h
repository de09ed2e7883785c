#pragma once
// soundlens analyze --report OUT.pdf: the PDF report of one analysed file.
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/analysis.h"
#include "analysis_events/analysis_events.h"
#include "analysis_events/event_options.h"

namespace soundlens {

// The report of `file` as analysed, with the events already placed.
std::vector<std::uint8_t> report_pdf(const std::string& file, const Analyzer& analyzer, const Audio& audio,
                                     const Analysis& analysis, const AnalysisEvents& events,
                                     const AnalysisOptions& options, const AnalysisEventOptions& event_settings);

}  // namespace soundlens
