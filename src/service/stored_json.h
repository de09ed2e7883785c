#pragma once
// The JSON of a stored analysis: the analysis itself plus id, filename and
// created_at (full), or the few fields a history list needs (summary).
#include <nlohmann/json.hpp>

#include "analysis/analysis.h"
#include "analysis_events/event_options.h"
#include "events/event.h"
#include "storage/analysis_store.h"

namespace soundlens::service {

nlohmann::json stored_analysis_json(const StoredAnalysis& stored);
// The same from the analysis's JSON at hand (just stored), without parsing result_json again.
nlohmann::json stored_analysis_json(const StoredAnalysis& stored, nlohmann::json result);
// From the summary columns only (what list() returns).
nlohmann::json stored_summary_json(const StoredAnalysis& stored);
// Fills the summary columns of a record from the analysis's JSON.
void add_summary(NewAnalysis& record, const nlohmann::json& result);
// The options an analysis was run with, to explain it again the same way.
AnalysisOptions stored_options(const StoredAnalysis& stored, const AnalysisLimits& limits);
// The event windows and thresholds it was run with (the defaults for older analyses).
AnalysisEventOptions stored_event_options(const StoredAnalysis& stored);
nlohmann::json options_json(const AnalysisOptions& options, const AnalysisEventOptions& events);
// Its events as detected (reviews not applied), parsed alone: an hour's result is megabytes of
// timeline an event's route does not need. Error(internal) if the stored result is not JSON.
std::vector<Event> stored_events(const StoredAnalysis& stored);
// The top class of a stored analysis (-1 if it predicted nothing).
int stored_top_class(const StoredAnalysis& stored);

}  // namespace soundlens::service
