#pragma once
// The JSON shape of events, counts and quality flags, for the analysis JSON
// (CLI --json and the API): top-level "events", "event_counts", "quality".
#include <nlohmann/json.hpp>

#include "events/event.h"

namespace soundlens {

// [{index, label, onset_s, offset_s, probability, low_hz, high_hz,
//   alternatives: [{index, label, probability}], models: [{model, probability, supports}]}, ...]
nlohmann::json events_to_json(const std::vector<Event>& events);
// [{index, label, count, per_hour}, ...]
nlohmann::json event_counts_to_json(const std::vector<EventCount>& counts);
// [{name, raised, value, unit, message}, ...]
nlohmann::json quality_to_json(const std::vector<QualityFlag>& flags);

}  // namespace soundlens
