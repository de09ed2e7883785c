#pragma once
// The options of `soundlens live`, declared once (core/parameters.h): the
// source, the windows, the outputs, and the event thresholds shared with the
// offline analysis (event_options.h, without its separate-pass windows: live
// windows are the event windows).
#include <string>
#include <vector>

#include "core/parameters.h"
#include "live/live_engine.h"
#include "live/live_source.h"

namespace soundlens {

// The windows chosen by measurement (docs/live.md): latency against CPU.
inline constexpr double kLiveWindowS = 2;
inline constexpr double kLiveHopS = 0.5;
// Frames final 0.32 s after they are heard: event lines within the latency target (0 gives
// analyze's events exactly, a window later).
inline constexpr double kLiveSettleS = 0.32;

const std::vector<Parameter>& live_parameters();

struct LiveCommandOptions {
  SourceSpec source;
  LiveSettings settings;
  std::vector<std::string> classes;  // --class, by index or name (resolved with the model's labels)
  std::string model, model_dir, record, events_csv;
  bool json = false;
  long threads = 1;
  double max_lag_s = 2;
};

// Error(bad_request) naming the parameter for values out of range or
// inconsistent (hop above the window, low threshold above the high one).
LiveCommandOptions live_options(const ParameterValues& values);

}  // namespace soundlens
