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
  double window_s = 0;  // the declared default (event_options.cpp): the analysis pass itself
  double hop_s = 1;
  EventOptions detect;
};

// --event-window-s, --event-hop-s, --event-threshold, --event-threshold-low,
// --event-min-duration-s, --event-merge-gap-s (HTTP: event_window_s, ...).
const std::vector<Parameter>& event_parameters();

// Reads the values of event_parameters() and checks them (validate_event_options).
AnalysisEventOptions event_options(const ParameterValues& values);

// Error(bad_request) when the rules between the options fail: event windows
// are 0 (the analysis' own pass) or at least 1 s, the hop not above a window,
// the low threshold not above the high one. (Each option's own range is its
// declaration's.)
void validate_event_options(const AnalysisEventOptions& o);

}  // namespace soundlens
