#pragma once
// What a live session asks for, typed: the model, the windows, the watched
// classes, the event thresholds, and the PCM its chunks carry. Declared once:
// the options are those of `soundlens live` (live/live_options.h) that make
// sense for a session, read under their HTTP names (window_s, class, ...).
#include <optional>
#include <string>
#include <vector>

#include "audio/pcm_stream.h"
#include "core/parameters.h"
#include "live/live_engine.h"

namespace soundlens::service {

struct LiveSessionRequest {
  std::string model;                 // "" = the server's default model
  LiveSettings settings;             // windows, top k, settle, thresholds (watched: resolved by the session)
  std::vector<std::string> classes;  // watched, by index or name
  PcmFormat format = PcmFormat::s16le;
  int rate = 32000;                  // of the chunks; resampled to 32 kHz as the decoder does
  double max_lag_s = 2;              // a chunk holding more audio than this: its windows are dropped (counted)
};

// The declarations a session takes (a subset of live_parameters(), in its order).
const std::vector<Parameter>& live_session_parameters();

// Error(bad_request) naming the parameter for a value out of its range or inconsistent with another.
LiveSessionRequest read_live_request(const ValueLookup& lookup);

}  // namespace soundlens::service
