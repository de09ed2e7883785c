#pragma once
// What an analysis can be asked for, declared once: the CLI flags, the HTTP
// parameters and /openapi.json are all generated from these declarations.
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "core/cancel_token.h"
#include "core/parameters.h"
#include "explain/method_names.h"

namespace soundlens {

// Bounds the operator sets (flags and environment only, never a request):
// they keep one request from taking the service's memory or time.
struct AnalysisLimits {
  long max_windows = 20000;      // windows one analysis may use (the declared default)
  double timeout_s = 600;        // wall-clock time one analysis may take
};

struct AnalysisOptions {
  int top_k = 5;
  std::vector<std::string> classes;  // extra classes to explain, by index or display name
  double window_s = 10;
  double hop_s = 5;
  std::string method = default_explanation_method();  // one of explanation_method_names()
  std::string contrast;              // explain logit(A) - logit(contrast): index or name; "" = none
  bool faithfulness = false;         // MoRF/LeRF deletion against a random map, per explanation
  bool sanity = false;               // the model-parameter randomisation test, per explanation
  bool figure = false;  // also render the top class's figure
  bool frame_evidence = false;  // also keep the pass's frame-level class evidence (Analysis::frames), for events
  // With frame_evidence: each frame of the evidence, in order, as soon as no later window changes
  // it (probabilities, and the columns' own where the model pools columns, else empty; `classes`
  // values each), instead of holding it whole: Analysis::frames then has the grid only, no values.
  std::function<void(std::span<const float> probabilities, std::span<const float> columns)> frame_sink;
  AnalysisLimits limits;
  // More classes to explain once the windows' probabilities are known (the
  // events stage asks for the classes it will place), without a second pass.
  std::function<std::vector<int>(const std::vector<struct TimelineWindow>&)> more_targets;
  // A streamed analysis whose method explains classes as the first reading
  // goes (StreamExplainer): the probabilities by which classes are ranked for
  // that, given the pass's own clip probabilities so far (the fused model
  // ranks by both passes'). A class the pass has no output for is never
  // ranked. Empty: the pass's own clip probabilities.
  std::function<std::vector<float>(std::span<const float> clip)> follow_ranking;
  // Progress of a long analysis (a job): called per batch of windows, beside
  // the time limit's check, with the stage ("windows", then "explain") and
  // the fraction of that stage done (0..1). May be empty.
  std::function<void(const std::string& stage, double fraction)> progress;
  // The one way to stop the work: cancelled from another thread (the HTTP
  // layer's, when the client hangs up or a deadline passes) or polling a stop
  // flag kept elsewhere (a job's cancel, see CancelToken's poll); checked per
  // batch of windows and inside the explanation methods' loops, which throw
  // its error. May be null; must outlive the analysis.
  const CancelToken* stop = nullptr;
};

// The explanation methods the declaration offers: the explain stage's
// registry (explanation_method_names()), read once, so the two cannot differ.
const std::vector<std::string>& declared_method_names();

// Per request: --top-k / top_k, --class / classes, --window-s / window_s, --hop-s / hop_s.
const std::vector<Parameter>& analysis_parameters();
// The operator's: --max-windows, --analysis-timeout-s.
const std::vector<Parameter>& analysis_limit_parameters();

// Reads the values of analysis_parameters() (hop_s, when not given, is the
// smaller of its default and window_s) and checks what one declaration
// cannot: hop_s <= window_s. Throws Error(bad_request).
AnalysisOptions analysis_options(const ParameterValues& values);
AnalysisLimits analysis_limits(const ParameterValues& values);
// The command line's: no time limit unless --analysis-timeout-s is given (a person who asks for a
// long analysis has no server to protect).
inline constexpr double kNoTimeLimit = 1e7;
AnalysisLimits command_line_limits(const ParameterValues& values);

// The same checks for options built in code: every value within its
// declared range. Throws Error(bad_request) naming the parameter.
void validate_options(const AnalysisOptions& options);

}  // namespace soundlens
