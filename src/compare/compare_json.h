#pragma once
// The comparison's JSON: {"top_shared", "top_only", "profile_correlation",
// "events"}, the `agreement` of `soundlens compare --json` (and later the API).
#include <nlohmann/json.hpp>

#include "compare/compare.h"

namespace soundlens {

// {top_shared: [{index, label}], top_only: {model: [{index, label, probability}]},
//  profile_correlation: [{index, label, pearson (null: undefined)}],
//  events: {both: [{index, label, overlap_s, <model>: event, <model>: event}], only: {model: [event]}}}
nlohmann::json agreement_to_json(const Comparison& comparison);

}  // namespace soundlens
