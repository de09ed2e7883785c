#pragma once
// Events stage value types: what a recording holds, where, and how often.
// Plain values, so that render, exports and storage use them without
// depending on the detection.
#include <string>
#include <vector>

namespace soundlens {

// A related class heard in the same sound (the runner-up), or one model's
// evidence for an event of a fused analysis.
struct EventAlternative {
  int index = 0;
  std::string label;
  float probability = 0;  // its peak frame probability within the event
};
struct EventSupport {
  std::string model;
  float probability = 0;  // that model's peak frame probability of the class within the event
  bool supports = false;  // ... reaches the model's own threshold for the class
};

struct Event {
  int index = 0;  // AudioSet class index
  std::string label;
  double onset_s = 0;  // from the start of the recording
  double offset_s = 0;
  float probability = 0;  // the peak frame probability within the event
  double low_hz = 0;      // the band the evidence covers (the model front end's)
  double high_hz = 0;
  std::vector<EventAlternative> alternatives;  // related classes resolved into this one, most probable first
  std::vector<EventSupport> models;            // which model(s) support it (empty: the analysis' own model)
};

struct EventCount {
  int index = 0;
  std::string label;
  int count = 0;
  double per_hour = 0;  // count over the recording's duration
};

struct EventResult {
  std::vector<Event> events;       // by onset, then class
  std::vector<EventCount> counts;  // per class, by count (highest first), then index
};

// One input-quality check. Every check is reported, raised or not, so that
// nothing about the input is hidden.
struct QualityFlag {
  std::string name;  // narrowband, clipping, mostly_silent, shorter_than_one_cell, low_confidence
  bool raised = false;
  double value = 0;     // the measured number (its unit is in `unit`)
  std::string unit;     // "Hz", "fraction", "s", "probability"
  std::string message;  // one sentence: what it means for the result
};

}  // namespace soundlens
