#pragma once
// Storing a finished analysis, for the synchronous upload and for jobs alike,
// so that both store the same shape. Internal to http.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "analysis_events/analysis_events.h"
#include "http/service_state.h"

namespace soundlens::http {

// Uploaded names are shown back to people, never used as paths.
std::string display_filename(const std::string& name);

struct StoredResult {
  StoredAnalysis stored;
  nlohmann::json result;  // the analysis JSON as stored (without id, filename, created_at)
};

// Stores the analysis with its upload. A job's id goes into the stored
// parameters ("job_id"): the job store finds it there after a crash.
StoredResult store_analysis(ServiceState& state, const Analysis& analysis, const AnalysisEvents& events,
                            const AnalysisOptions& options, const AnalysisEventOptions& event_settings,
                            const std::string& filename, std::string_view upload, const std::string& job_id = "");

}  // namespace soundlens::http
