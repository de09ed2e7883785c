#pragma once
// The JSON shape of an analysis, shared by the CLI (--json) and the HTTP API.
#include <nlohmann/json.hpp>

#include "analysis/analysis.h"

namespace soundlens {

struct JsonOptions {
  bool all_probabilities = false;  // add "probabilities" (all classes) to the analysis and timeline
};

nlohmann::json analysis_to_json(const Analysis& analysis, const JsonOptions& options = {});
// [{index, label, probability (4 decimals)}, ...]
nlohmann::json predictions_to_json(const std::vector<Prediction>& predictions);
nlohmann::json explanation_to_json(const Explanation& explanation);
// An explanation's "listen": the two probabilities and, from the listening search, its fields.
nlohmann::json listen_to_json(const ListenCheck& check);
// The spectrogram for drawing in a browser, averaged down to at most max_columns columns.
// start_s: the time of the first frame (for a span of a recording).
nlohmann::json spectrogram_to_json(const MelSpectrogram& spectrogram, int max_columns = 1000, double start_s = 0);

}  // namespace soundlens
