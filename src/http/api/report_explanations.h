#pragma once
// The explanations of one class that the server has computed for a stored
// analysis (what the page asked for: GET .../explanation, cached), found
// again for the report without computing anything. Internal to http.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/api/service_state.h"

namespace soundlens::http {

struct ComputedExplanations {
  // One per method computed for the class, in explanation_method_names()' order: the map of its first
  // cached variant with the checks of all of them (faithfulness, sanity, listening) merged into it.
  // A contrast's maps (against another class) are not among them.
  std::vector<nlohmann::json> explanations;
  std::vector<std::string> keys;  // the cache entries read: a report made of them is named by them
};

// Every variant the explanation route caches (explanation_key with or without faithfulness and sanity,
// with or without listening, of the analysis' own model or a fused analysis' first part) is looked up.
ComputedExplanations computed_explanations(ServiceState& state, const StoredAnalysis& stored, int index);

// The same for the events' own explanations (explanation?event=N): each event as reviewed (in the
// analysis' event order), every method computed for it, each JSON with its `event` and `window`.
ComputedExplanations computed_event_checks(ServiceState& state, const StoredAnalysis& stored,
                                           const std::vector<Event>& as_reviewed);

}  // namespace soundlens::http
