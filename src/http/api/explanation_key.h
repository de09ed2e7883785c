#pragma once
// The cache key of an explanation of one class with its options, shared by the
// explanation routes and the report (which reuses what the page computed).
// Internal to http.
#include <string>

#include "analysis/analysis.h"
#include "events/event.h"

namespace soundlens::http {

// "<kind>-v<version>-<class>-<method>[-vs-<hash>][-f][-s]", the version explanation_version()'s (an
// explanation cached by an older method is computed again, not served); keys allow only [A-Za-z0-9_.-]:
// "gradcam++" is keyed "gradcampp"; the contrast's hash is 16 hex digits.
std::string explanation_key(const std::string& kind, int target, const AnalysisOptions& options);

// What follows that key for one event's explanation (explanation?event=N): "-event-<place>-<class>-<onset
// ms>-<offset ms>", the event as reviewed, so that a review makes a new entry.
std::string event_key_part(int place, const Event& as_reviewed);

}  // namespace soundlens::http
