#pragma once
// Results derived again from a stored analysis' audio (figures, explanations,
// the spectrogram, the report), cached per analysis. Internal to http.
#include <functional>
#include <string>

#include "http/api/service_state.h"

namespace soundlens::http {

using Compute = std::function<std::string(const Analyzer&, const Audio&)>;

// Error(not_found) for a class the model does not have, naming the valid ones.
[[noreturn]] void unknown_class(const Analyzer& analyzer, const std::string& text);

// The cached result under `key`, or else compute it from the stored audio and
// cache it. The cache is read before anything else (no model needed, no
// queue); the admission ticket is held only while decoding and computing,
// not over the cache write's fsync. A target class (>= 0) is checked against
// the model's labels before queueing.
std::string cached_or_computed(ServiceState& state, const StoredAnalysis& stored, const Request& request,
                               const std::string& key, const Compute& compute, int target_class = -1);

// A part of the recording explained instead of all of it (an event's window): at most `seconds` long
// (what the budget counts), read by `read` for the analyzer that explains it.
struct ExplainedSpan {
  double seconds = 0;
  std::function<Audio(const Analyzer&)> read;
};

// Explanation work: `options` with its stop token set to the one given.
using ExplainCompute = std::function<std::string(const Analyzer&, const Audio&, const AnalysisOptions&)>;

// The same for an explanation of one class with `options` (listen_check: the
// listening check runs too), which may take long: refused up front with
// Error(too_long) when its estimated cost exceeds --explain-budget-s; run on
// the explanation slots (uploads never wait behind it); computed once for
// identical requests in flight; stopped when every client asking for it has
// hung up or when the analysis time limit passes.
std::string explained_or_computed(ServiceState& state, const StoredAnalysis& stored, const Request& request,
                                  const std::string& key, const ExplainCompute& compute, int target_class,
                                  const AnalysisOptions& options, bool listen_check = false,
                                  const std::string& model = "",  // a part of a fused analysis (map_model), "" its own
                                  const ExplainedSpan* span = nullptr);

}  // namespace soundlens::http
