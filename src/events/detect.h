#pragma once
// The detection options a user sets (event_options.h declares them as
// parameters). Events are placed from frame-level class evidence
// (frame_events.h); classes with a calibrated rule (data/thresholds/<model>.csv)
// use its thresholds, the others these.
namespace soundlens {

struct EventOptions {
  double window_high = 0.5;     // a frame at or above this starts an event (classes without a calibrated rule)
  double window_low = 0.35;     // ... and the event lasts while frames stay at or above this
  double min_duration_s = 0.3;  // shorter events (after bridging gaps) are dropped
  double merge_gap_s = 0.6;     // runs of one class at most this far apart become one event (calibrated)
  int max_classes = 10;         // classes without a rule considered (the most probable)
};

}  // namespace soundlens
