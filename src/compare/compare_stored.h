#pragma once
// Two stored analyses compared again from their JSON (as analysis_to_json and
// add_events_json wrote it): what GET /api/v1/compare?a=&b= answers, so a
// comparison can be reloaded without running either model again.
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/analysis.h"
#include "compare/compare.h"
#include "events/event.h"

namespace soundlens {

// What compare_runs reads of an analysis, back from its JSON: the model, the
// probabilities of the predicted classes (every other class NaN, so never
// ranked), the explanations with their maps, and the events.
// Error(bad_request) when the JSON lacks them or a map is malformed.
struct StoredRun {
  Analysis analysis;
  std::vector<Event> events;
};
StoredRun stored_run_from_json(const nlohmann::json& analysis_json);

// compare_runs over two analyses' JSON. The top lists are the stored
// predictions' (an analysis stored with top_k below the comparison's top has
// a shorter one); maps and event times are the JSON's rounded values, so
// correlations agree with the live comparison to about 1e-3.
Comparison compare_stored(const nlohmann::json& first, const nlohmann::json& second, const CompareOptions& options = {});

}  // namespace soundlens
