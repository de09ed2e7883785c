#pragma once
// How events are found, declared once for the CLI, the HTTP form and
// /openapi.json: their own windows and the detection thresholds.
#include <vector>

#include "core/parameters.h"
#include "events/detect.h"

namespace soundlens {

// Events come from the analysis pass's frame evidence (window_s 0); windows
// set here cost a second, forward-only pass whose frames are used instead.
// Models with fixed windows (YAMNet) use their own.
struct AnalysisEventOptions {
  double window_s = 0;
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
