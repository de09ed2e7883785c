#include "analysis/analysis_options.h"

#include <algorithm>
#include <sstream>

#include "core/error.h"
#include "explain/method_names.h"

namespace soundlens {
namespace {

using Kind = Parameter::Kind;

const Parameter& declared(const std::vector<Parameter>& list, const std::string& name) {
  for (const auto& p : list)
    if (p.name == name) return p;
  throw Error(ErrorCode::internal, "parameter not declared: " + name);
}

void check_range(const std::string& name, double value) {
  const Parameter& p = declared(analysis_parameters(), name);
  if (value >= p.min && value <= p.max) return;
  std::ostringstream message;
  message << p.http_name() << " must be between " << p.min << " and " << p.max << " (got " << value << ")";
  throw Error(ErrorCode::bad_request, message.str());
}

// Overlapping windows multiply the work: each moment is analysed window_s / hop_s times.
constexpr double kMaxOverlap = 20;

void check_hop(double window_s, double hop_s) {
  std::ostringstream message;
  if (hop_s > window_s) {
    message << "hop_s (" << hop_s << ") must not exceed window_s (" << window_s << ")";
    throw Error(ErrorCode::bad_request, message.str());
  }
  if (window_s / hop_s > kMaxOverlap) {
    message << "window_s " << window_s << " with hop_s " << hop_s << " would analyse each moment "
            << int(window_s / hop_s) << " times; at most " << kMaxOverlap << " are allowed: use a hop_s of at least "
            << window_s / kMaxOverlap;
    throw Error(ErrorCode::bad_request, message.str());
  }
}

}  // namespace

const std::vector<Parameter>& analysis_parameters() {
  static const std::vector<Parameter> list = [] {
    std::vector<Parameter> p{
        {"top-k", "number of top classes to report and explain", "5", Kind::integer, 1, 527, {}},
        {"class", "also explain this class (index or name); on HTTP a comma-separated list (give classes "
                  "whose names contain a comma by index)", "", Kind::text, 0, 0, {}},
        {"window-s", "analysis window for long recordings, seconds", "10", Kind::number, 1, 60, {}},
        {"hop-s", "hop between windows, seconds (at most window-s and at least window-s / 20; default: the smaller of 5 "
                  "and window-s)", "5",
         Kind::number, 0.1, 60, {}},
    };
    p[1].repeatable = true;
    p[1].http = "classes";
    p.push_back({"method", "explanation method (see the README for what each shows)", default_explanation_method(),
                 Kind::text, 0, 0,
                 declared_method_names()});
    p.push_back({"contrast", "explain why each class and not this one: logit(A) - logit(B); index or name", "",
                 Kind::text, 0, 0, {}});
    p.push_back({"faithfulness", "score each map by deleting its cells (MoRF/LeRF) against a random map", "",
                 Kind::flag, 0, 0, {}});
    p.push_back({"sanity", "run the model-parameter randomisation test on each map", "", Kind::flag, 0, 0, {}});
    return p;
  }();
  return list;
}

const std::vector<Parameter>& analysis_limit_parameters() {
  static const std::vector<Parameter> list{
      {"max-windows", "most windows one analysis may use, both networks' for fused (more: 422 too_many_windows); "
                      "an hour at the default window and hop is 719, fused 8220", "20000", Kind::integer, 1, 1000000, {}},
      {"analysis-timeout-s", "longest time one analysis may take, seconds (longer: 503 timeout); the command line "
                             "has no time limit unless this is given", "600", Kind::number, 1, 86400, {}},
  };
  return list;
}

const std::vector<std::string>& declared_method_names() {
  static const std::vector<std::string> names = explanation_method_names();
  return names;
}

AnalysisOptions analysis_options(const ParameterValues& values) {
  AnalysisOptions o;
  o.method = values.text("method");
  o.contrast = values.text("contrast");
  o.faithfulness = values.flag("faithfulness");
  o.sanity = values.flag("sanity");
  o.top_k = int(values.integer("top-k"));
  o.classes = list_items(values.text("class"));
  o.window_s = values.number("window-s");
  o.hop_s = values.was_set("hop-s") ? values.number("hop-s") : std::min(values.number("hop-s"), o.window_s);
  check_hop(o.window_s, o.hop_s);
  return o;
}

AnalysisLimits analysis_limits(const ParameterValues& values) {
  return {values.integer("max-windows"), values.number("analysis-timeout-s")};
}

AnalysisLimits command_line_limits(const ParameterValues& values) {
  AnalysisLimits limits = analysis_limits(values);
  if (!values.was_set("analysis-timeout-s")) limits.timeout_s = kNoTimeLimit;
  return limits;
}

void validate_options(const AnalysisOptions& o) {
  check_range("top-k", o.top_k);
  check_range("window-s", o.window_s);
  check_range("hop-s", o.hop_s);
  check_hop(o.window_s, o.hop_s);
}

}  // namespace soundlens
