#pragma once
// How events are found, declared once for the CLI, the HTTP form and
// /openapi.json: their own windows and the detection thresholds.
#include <vector>

#include "core/parameters.h"
#include "events/detect.h"

namespace soundlens {

// Events get their own windows: on the evaluation in tests/events, 5 s
// windows with a 1 s hop placed short events better (F1 0.70) than the
// clip's 10 s / 5 s (0.59); 1 s windows fail for mn04_as. Models with fixed
// windows (YAMNet) use their own.
struct AnalysisEventOptions {
  double window_s = 5;
  double hop_s = 1;
  EventOptions detect;
};

// --event-window-s, --event-hop-s, --event-threshold, --event-threshold-low,
// --event-min-duration-s, --event-merge-gap-s (HTTP: event_window_s, ...).
const std::vector<Parameter>& event_parameters();

// Reads the values of event_parameters(); Error(bad_request) when the low
// threshold exceeds the high one or the hop exceeds the window.
AnalysisEventOptions event_options(const ParameterValues& values);

}  // namespace soundlens
