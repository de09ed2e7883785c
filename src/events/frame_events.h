#pragma once
// Events from frame-level class evidence (one probability per class and
// column of the last block), with per-class thresholds stored as data:
// hysteresis on each class's frames, short gaps bridged, short runs dropped,
// then one event per sound: overlapping events of related classes (ontology
// parent and child, near neighbours) resolve to the one furthest over its own
// threshold, the others kept on it as alternatives.
#include <cmath>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "events/event.h"

namespace soundlens {

// A view of frame evidence: frames * classes probabilities, row-major.
struct ClassFrames {
  double seconds_per_frame = 0;
  int classes = 0;
  std::span<const float> probabilities;
  // Each column's own evidence where `probabilities` pool several columns (FrameEvidence::columns),
  // the same shape; empty: none.
  std::span<const float> columns;
  // Where the windows hear each class (FrameEventOptions::present), the same shape: a frame they
  // do not hear holds 0 for detection. Empty: every frame as it is.
  std::span<const char> present;
  int frames() const { return classes > 0 ? int(probabilities.size() / std::size_t(classes)) : 0; }
  float at(int frame, int c) const {
    const std::size_t i = std::size_t(frame) * std::size_t(classes) + std::size_t(c);
    const float v = probabilities[i];
    return present.empty() || present[i] || std::isnan(v) ? v : 0.0f;
  }
};

// One class's rule: a frame at or above `threshold` starts an event, which
// lasts while frames stay at or above `low`.
struct ClassRule {
  int index = 0;
  double threshold = 0.5;
  double low = 0.35;
};

struct FrameEventOptions {
  std::vector<ClassRule> rules;  // calibrated classes (thresholds/<model>.csv)
  // Classes without a rule: considered when some frame reaches this (the
  // most probable max_other_classes of them), with low = other_low.
  double other_threshold = 0.5;
  double other_low = 0.35;
  int max_other_classes = 10;
  double min_duration_s = 0.3;  // shorter events (after bridging) are dropped
  double merge_gap_s = 0.3;     // runs of one class this close become one event
  // With ClassFrames::columns: an event found on the pooled evidence is narrowed to its columns
  // from the first to the last whose own probability of the class reaches this fraction of the
  // highest among them (pooled evidence spreads a short sound over the pool). 0: not narrowed.
  double onset_fraction = 0;
  std::vector<std::pair<int, int>> related;  // classes that name one sound (either order)
  double low_hz = 0, high_hz = 0;            // the band of the evidence, put on every event
  // The windows' say (window_presence()): frames * classes, non-zero where a window covering the
  // frame hears the class. Empty: every frame may hold an event. A frame's head sees a third of a
  // second: alone it is sure of classes the whole window does not hear (on a 90 s recording of coughs
  // and sneezes, mn04_as's frames reach 1.0 for Yodeling, Duck and Mandolin), so frames place
  // events only inside what the windows hear.
  std::vector<char> present;
};

// Where the analysis' windows hear each class, on the frames' grid: a class is
// present in a window whose probability reaches `low`, if some window reaches
// `high` (hysteresis over windows, as events were found before frames placed them).
// windows: {start_s, end_s, probabilities of every class}.
struct WindowProbabilities {
  double start_s = 0, end_s = 0;
  std::span<const float> probabilities;
};
// `asked` (the pinned classes) need only `low`: the user named them.
std::vector<char> window_presence(std::span<const WindowProbabilities> windows, double seconds_per_frame,
                                  int frames, int classes, double high, double low, std::span<const int> asked = {});

// The frames first..last (inclusive) narrowed to those from the first to the last whose column
// evidence of class c reaches fraction x their highest (FrameEventOptions::onset_fraction); as given
// without columns or with fraction 0.
std::pair<int, int> narrow_to_columns(const ClassFrames& frames, int c, int first, int last, double fraction);

// `labels` names the classes (index -> label; may be shorter: "" then).
// `pinned` are always counted. Throws Error(bad_request) on options out of
// range and Error(internal) when the probabilities do not fill whole frames.
EventResult detect_frame_events(const ClassFrames& frames, const FrameEventOptions& options,
                                std::span<const int> pinned, const std::vector<std::string>& labels);

// One sound per group of overlapping related events (the resolution detect_frame_events applies):
// of overlapping related events a pinned class's stays, else the one furthest over its threshold
// (`margin`: peak / threshold: a parent class is usually more probable than its child; over its own
// threshold it is not); each other related class becomes one of its alternatives (with its best probability).
// Events in the order detect_frame_events makes them (by class, then onset); out by onset, then class.
struct ScoredEvent {
  bool pinned = false;  // asked for by name: first, whatever its margin
  double margin = 0;
  Event event;
};
std::vector<Event> resolve_related(std::vector<ScoredEvent> scored, const std::vector<std::pair<int, int>>& related);

// The counts of a list of events (pinned classes counted even at 0), per hour of duration_s.
std::vector<EventCount> count_events(const std::vector<Event>& events, std::span<const int> pinned,
                                     const std::vector<std::string>& labels, double duration_s);

}  // namespace soundlens
