#pragma once
// Reading and validating request parameters; bad values are Error(bad_request)
// naming the parameter.
#include <string>

#include "analysis/analysis.h"
#include "analysis_events/event_options.h"
#include "http/http_types.h"

namespace soundlens::http {

long integer_param(const Request& request, const std::string& name, long fallback, long min, long max);
double number_param(const Request& request, const std::string& name, double fallback, double min, double max);
// The analysis_parameters() of an upload (top_k, classes, window_s, hop_s), with the operator's limits.
AnalysisOptions analysis_options(const Request& request, const AnalysisLimits& limits);
// The event_parameters() of an upload (event_window_s, event_threshold, ...).
AnalysisEventOptions event_options(const Request& request);
// The uploaded recording: the multipart field `file`.
const UploadedPart& uploaded_file(const Request& request);

}  // namespace soundlens::http
