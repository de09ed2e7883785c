#pragma once
// What every AnalysisStore backend does alike with a new analysis before it
// writes it (internal to storage).
#include <cstddef>
#include <string>
#include <vector>

#include "storage/analysis_store.h"

namespace soundlens::storage {

// The stored form of `analysis`: a fresh id, the time now, its fields, and the
// first prediction's class (-1 if none).
StoredAnalysis new_stored_analysis(const NewAnalysis& analysis, std::size_t audio_bytes);

// The first prediction's class index in a JSON array of predictions, -1 if none.
int first_class(const std::string& predictions_json);

// The user's labels as stored (a JSON array of strings); anything else is skipped.
std::vector<std::string> labels_of(const std::string& labels_json);

// ASCII letters lower-cased (history filters compare case-insensitively in ASCII).
std::string ascii_lower(std::string text);

}  // namespace soundlens::storage
