#pragma once
// What one analysis of an upload asks for, typed: the model, the analysis
// options and the event options. Read once from the declared option tables
// (analysis_parameters(), event_parameters()) by whoever receives the request
// (the HTTP form fields), stored with a job as versioned JSON and read back by
// the job's work without any HTTP type.
//
// The operator's settings are not part of it: the limits (--max-windows,
// --analysis-timeout-s) and the privacy choices (--store-audio,
// --redact-speech) are those of the process that runs the analysis, as they
// always were for jobs (see AnalysisPlan in service/pipeline.h).
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "analysis/analysis_options.h"
#include "analysis_events/event_options.h"
#include "core/parameters.h"

namespace soundlens::service {

struct AnalysisRequest {
  std::string model;  // "" = the default model
  AnalysisOptions options;  // the per-request parameters only (no limits, no hooks)
  AnalysisEventOptions events;
};

// The request from named values (HTTP field names: top_k, model, event_window_s, ...);
// missing or empty ones take their defaults. Error(bad_request) naming the parameter.
AnalysisRequest read_analysis_request(const ValueLookup& lookup);

// The layout a job stores (its parameters_json): {"version": 1, "model", "options", "events"}.
inline constexpr int kAnalysisRequestVersion = 1;
nlohmann::json analysis_request_json(const AnalysisRequest& request);
// Reads what analysis_request_json wrote, or the layout of jobs queued by an
// older soundlens (an object of the upload's form fields as strings, no
// "version"). Error(bad_request) naming the field for a value out of its
// range or of the wrong type; Error(internal) for a version this program does not know.
AnalysisRequest analysis_request_from_json(const std::string& text);

}  // namespace soundlens::service
