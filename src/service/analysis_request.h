#pragma once
// What one analysis of an upload asks for, typed: the model, the analysis
// options, the event options and the privacy promised for it. Read once from
// the declared option tables (analysis_parameters(), event_parameters()) by
// whoever receives the request (the HTTP form fields), stored with a job as
// versioned JSON and read back by the job's work without any HTTP type.
//
// The limits (--max-windows, --analysis-timeout-s) are not part of it: they
// are the running process's (AnalysisPlan in service/pipeline.h).
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/analysis_options.h"
#include "analysis_events/event_options.h"
#include "core/parameters.h"
#include "privacy/speech_redaction.h"

namespace soundlens::service {

// The privacy the server that accepted the upload promised (its --store-audio
// and --redact-speech; AnalysisPipeline::promise). It travels with a queued
// job, so a worker set up otherwise keeps and hears no more than was promised:
// the process running the analysis applies the stricter of this and its own.
struct PromisedPrivacy {
  bool store_audio = true;
  std::optional<RedactionOptions> redact;
};

struct AnalysisRequest {
  std::string model;  // "" = the default model
  // A comparison instead of one analysis: the recording analysed by each of these models in turn (each
  // analysis stored), in this order; empty: one analysis by `model`.
  std::vector<std::string> models;
  AnalysisOptions options;  // the per-request parameters only (no limits, no hooks)
  AnalysisEventOptions events;
  PromisedPrivacy privacy;  // none (the defaults) until a server promises its own
};

// The request from named values (HTTP field names: top_k, model, event_window_s, ...);
// missing or empty ones take their defaults. Error(bad_request) naming the parameter.
AnalysisRequest read_analysis_request(const ValueLookup& lookup);

// The layout a job stores (its parameters_json): {"version": 2, "model",
// "options", "events", "privacy": {"store_audio", "redact_speech_threshold"
// (null: no redaction)}}. Version 1 (without "privacy") is still read: its
// jobs run with the running process's privacy alone, as they did. An older
// soundlens refuses version 2 rather than drop its privacy.
inline constexpr int kAnalysisRequestVersion = 2;
nlohmann::json analysis_request_json(const AnalysisRequest& request);
// Reads what analysis_request_json wrote (this version or 1), or the layout of jobs queued by an
// older soundlens (an object of the upload's form fields as strings, no
// "version"). Error(bad_request) naming the field for a value out of its
// range or of the wrong type; Error(internal) for a version this program does not know.
AnalysisRequest analysis_request_from_json(const std::string& text);

}  // namespace soundlens::service
