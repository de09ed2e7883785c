#pragma once
// Event detection in two steps: the analysis windows say which classes are
// present where; inside those spans the class's explanation time profile
// places onset and offset at the map's column resolution.
#include <span>
#include <string>
#include <vector>

#include "analysis/analysis_values.h"
#include "events/event.h"
#include "explain/cam_map.h"

namespace soundlens {

// Defaults measured on the evaluation in tests/events (see the README).
struct EventOptions {
  double window_high = 0.15;    // a window at or above this makes the class present
  double window_low = 0.1;      // next to a present window, at or above this extends it
  double profile_high = 0.3;    // a column at or above this fraction of its span's peak starts an event
  double profile_low = 0.225;   // ... and the event lasts while columns stay at or above this fraction
  double min_duration_s = 0.6;  // shorter events (after merging) are dropped
  double merge_gap_s = 1.0;     // events of one class closer than this become one
  double band_fraction = 0.5;   // low_hz..high_hz: the fewest adjacent rows holding this share of relevance
  int max_classes = 10;         // classes considered besides the pinned ones
};

// A class's explanation map, as detection needs it.
struct ClassProfile {
  int index = 0;
  std::string label;
  bool pinned = false;  // asked for: counted even when it has no event
  int rows = 0, cols = 0;
  double seconds_per_column = 0;
  std::vector<float> cells;                 // rows * cols, row-major, row 0 the lowest band
  std::vector<double> row_edges_hz;         // rows + 1 band edges, ascending
  std::vector<float> time_profile() const;  // per column: the map summed over rows
};

ClassProfile make_class_profile(const CamMap& cam, std::string label, std::vector<double> row_edges_hz,
                                bool pinned = false);

// One profile per explanation of the analysis (pinned: the classes asked for),
// with row edges from the model front end's mel centre frequencies
// (FrontEnd::compute on any short input gives them, in MelSpectrogram::center_hz).
std::vector<ClassProfile> profiles_from_analysis(const Analysis& analysis, std::span<const float> center_hz,
                                                 std::span<const int> pinned);

// Band edges of a map's rows from the mel bins' centre frequencies: each row
// covers mel_bins_per_row bins; edges lie halfway between neighbouring bins'
// centres (half a spacing beyond the first and last, never below 0 Hz).
std::vector<double> mel_row_edges_hz(std::span<const float> center_hz, double mel_bins_per_row, int rows);

// The classes to explain for events: every pinned class, then the classes
// that reach window_high in some window, highest peak first, at most
// options.max_classes of them.
std::vector<int> event_classes(std::span<const TimelineWindow> timeline, std::span<const int> pinned,
                               const EventOptions& options);

// Throws Error(bad_request) on options out of range (thresholds outside
// [0, 1], low above high, negative durations) and Error(internal) on a
// profile whose cells or edges do not match its shape.
EventResult detect_events(std::span<const TimelineWindow> timeline, std::span<const ClassProfile> profiles,
                          double duration_s, const EventOptions& options = {});

}  // namespace soundlens
