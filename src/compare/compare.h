#pragma once
// Compare stage: two models' analyses of one recording, side by side. Where
// they agree (top classes, the time profile of their maps, events) is
// evidence; where they disagree is a warning. Plain values; no model runs here.
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analysis/analysis.h"
#include "events/event.h"

namespace soundlens {

struct CompareOptions {
  int top = 5;  // "top classes": each model's `top` most probable (absent classes never count)
};

// One model's side: its name, its analysis and the events detected on it.
struct ComparedRun {
  std::string model;
  const Analysis* analysis = nullptr;
  const std::vector<Event>* events = nullptr;
};

struct ProfileCorrelation {
  int index = 0;
  std::string label;
  // Pearson correlation of the two maps' time profiles on a common time grid;
  // nullopt when either profile is constant (the correlation is undefined).
  std::optional<double> pearson;
};

struct MatchedEvent {
  int index = 0;
  std::string label;
  double overlap_s = 0;  // time both events cover
  Event first, second;   // first model's event, second model's
};

struct Comparison {
  std::vector<std::string> models;                 // [first, second]
  std::vector<Prediction> top_shared;              // in both top lists, by the first model's order
  std::vector<std::vector<Prediction>> top_only;   // per model: in its top list only
  std::vector<ProfileCorrelation> profile_correlation;  // per shared class both explained
  std::vector<MatchedEvent> events_both;
  std::vector<std::vector<Event>> events_only;     // per model: events the other has no match for
};

Comparison compare_runs(const ComparedRun& first, const ComparedRun& second, const CompareOptions& options = {});

// The building blocks, exposed for tests.

// The `top` classes by probability, skipping NaN (classes a model does not have).
std::vector<Prediction> top_classes(const Analysis& analysis, int top);

// A map's time profile: per column, the sum over its rows.
std::vector<double> time_profile(const CamMap& cam);

// The profile (one value per column of `seconds_per_column`, each value at its
// column's centre) linearly interpolated at `times` (held constant beyond the
// first and last centre).
std::vector<double> resample_profile(std::span<const double> profile, double seconds_per_column,
                                     std::span<const double> times);

// Two maps' profiles on a common grid: the finer of their column widths, over
// the time both cover; then their Pearson correlation (nullopt: a constant profile
// or fewer than 2 grid points).
std::optional<double> profile_pearson(const CamMap& a, const CamMap& b);
std::optional<double> pearson(std::span<const double> x, std::span<const double> y);

// Events of the same class whose spans overlap (by more than zero), paired
// greedily by the largest overlap; the rest are each model's own.
void match_events(std::span<const Event> first, std::span<const Event> second, std::vector<MatchedEvent>& both,
                  std::vector<Event>& first_only, std::vector<Event>& second_only);

}  // namespace soundlens
