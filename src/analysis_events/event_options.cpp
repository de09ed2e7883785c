#include "analysis_events/event_options.h"

#include <sstream>

#include "core/error.h"

namespace soundlens {
namespace {

// "event_hop_s (2) must not exceed event_window_s (1)"
[[noreturn]] void not_above(const char* low_name, double low, const char* high_name, double high) {
  std::ostringstream message;
  message << low_name << " (" << low << ") must not exceed " << high_name << " (" << high << ")";
  throw Error(ErrorCode::bad_request, message.str());
}

}  // namespace

const std::vector<Parameter>& event_parameters() {
  using Kind = Parameter::Kind;
  static const std::vector<Parameter> list{
      {"event-window-s",
       "windows of a separate pass for events, seconds; 0: events come from the analysis' own pass (models with "
       "fixed windows always use their own)",
       "0", Kind::number, 0, 60, {}},
      {"event-hop-s", "hop between the windows of a separate events pass, seconds", "1", Kind::number, 0.25, 60, {}},
      {"event-threshold",
       "a frame at or above this probability starts an event, for classes without a calibrated threshold", "0.5",
       Kind::number, 0.01, 1, {}},
      {"event-threshold-low", "... and the event lasts while frames stay at or above this (hysteresis)", "0.35",
       Kind::number, 0.01, 1, {}},
      {"event-min-duration-s", "shorter events (after bridging gaps) are dropped, seconds", "0.3", Kind::number, 0, 60,
       {}},
      {"event-merge-gap-s", "runs of one class at most this far apart become one event, seconds", "0.6", Kind::number,
       0, 60, {}},
  };
  return list;
}

AnalysisEventOptions event_options(const ParameterValues& values) {
  AnalysisEventOptions o;
  o.window_s = values.number("event-window-s");
  o.hop_s = values.number("event-hop-s");
  o.detect.window_high = values.number("event-threshold");
  o.detect.window_low = values.number("event-threshold-low");
  o.detect.min_duration_s = values.number("event-min-duration-s");
  o.detect.merge_gap_s = values.number("event-merge-gap-s");
  validate_event_options(o);
  return o;
}

void validate_event_options(const AnalysisEventOptions& o) {
  if (o.window_s > 0 && o.window_s < 1)
    throw Error(ErrorCode::bad_request, "event_window_s must be 0 (the analysis' own pass) or at least 1 s");
  if (o.window_s > 0 && o.hop_s > o.window_s) not_above("event_hop_s", o.hop_s, "event_window_s", o.window_s);
  if (o.detect.window_low > o.detect.window_high)
    not_above("event_threshold_low", o.detect.window_low, "event_threshold", o.detect.window_high);
}

}  // namespace soundlens
