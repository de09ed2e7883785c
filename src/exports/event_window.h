#pragma once
// The audio an event's explanation and checks run on: the analysis window
// centred on the event, widened to the whole event when it is longer, kept
// inside the recording (moved, not cut, where the recording allows).
namespace soundlens {

struct EventWindow {
  double start_s = 0, end_s = 0;
};

// window_s: the analysis' window (a model's own window for YAMNet); duration_s: the recording's.
EventWindow event_window(double onset_s, double offset_s, double window_s, double duration_s);

}  // namespace soundlens
