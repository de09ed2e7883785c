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
#include "live/live_stream_parameters.h"

namespace soundlens {

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
