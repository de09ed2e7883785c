#pragma once
// What a person asks of the history: the filters of GET /api/v1/analyses
// (q, class, label, from, to) and the body of PATCH /api/v1/analyses/{id}
// ({note, labels}). Internal to http.
#include <string>

#include "http/server/http_types.h"
#include "storage/analysis_store.h"

namespace soundlens::http {

// Error(bad_request) naming the parameter for a malformed date or a value too long.
// The owner is left unset: who may see what is the caller's business.
AnalysisFilter history_filter(const Request& request);

// Parses {"note": "...", "labels": ["..."]} (either or both). Error(bad_request)
// for anything else: other fields, wrong types, control characters, a note
// over 2,000 bytes, more than 20 labels or one over 64 bytes, empty labels.
AnalysisNotes analysis_notes(const std::string& json_body);

}  // namespace soundlens::http
