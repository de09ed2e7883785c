#pragma once
// Events, counts and quality flags of one analysis, as the CLI and the API
// report them. Events are placed from the analysis pass's own frame-level
// class evidence (AnalysisOptions::frame_evidence, asked for by
// ask_for_event_classes), whatever explanation method the maps use, with the
// model's calibrated class thresholds (data/thresholds/<model>.csv). Only
// event windows set apart from the analysis' (event_options.h) cost a second,
// forward-only pass.
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/analysis.h"
#include "analysis_events/event_options.h"
#include "events/detect.h"
#include "events/event.h"
#include "events/frame_events.h"

namespace soundlens {

struct AnalysisEvents {
  EventResult result;
  std::vector<QualityFlag> quality;
  double elapsed_ms = 0;  // finding them (with the pass over the event windows, if one ran)
};

// The pinned classes of the options, as indices (unknown names: Error(bad_request)).
std::vector<int> pinned_classes(const AnalysisOptions& options, const Labels& labels);

// When the analysis' windows are the event windows, asks the analysis to keep
// its frame evidence (options.frame_evidence).
void ask_for_event_classes(AnalysisOptions& options, const Analyzer& analyzer, const AnalysisEventOptions& events = {});

// The detection's options for this analyzer's model: its class rules, the
// related classes, the options' thresholds for the classes without a rule.
FrameEventOptions frame_event_options(const Analyzer& analyzer, const AnalysisEventOptions& events = {});
// The windows' say over the frames (frame_events.h, window_presence): a class
// counts as heard in a window at this probability, if some window reaches
// kWindowPresenceHigh. The window thresholds events were found with before
// frames placed them (measured on tests/events' scenes, 2026-11-28).
inline constexpr double kWindowPresenceHigh = 0.15;
inline constexpr double kWindowPresenceLow = 0.1;

// Events and counts (per hour of duration_s) from one analysis' frame evidence
// (windows.frames): column-level evidence only inside what its windows hear
// (windows.timeline; without a timeline, from the frames alone), evidence that
// pools columns everywhere.
EventResult events_from_frames(const Analyzer& analyzer, const Analysis& windows, double duration_s,
                               std::span<const int> pinned, const AnalysisEventOptions& events = {});

AnalysisEvents analysis_events(const Analyzer& analyzer, const Audio& audio, const Analysis& analysis,
                               const AnalysisOptions& options, const AnalysisEventOptions& events = {});

// The analysis and its events of a recording never held whole
// (Analyzer::analyze_stream): the analysis' windows and, when they differ, the
// event windows, in the same two readings; the quality flags measured on the
// first. `options` as for analyze() (after ask_for_event_classes). Equals
// analyze() + analysis_events() of the decoded recording; no faithfulness or sanity.
struct StreamedAnalysis {
  Analysis analysis;
  AnalysisEvents events;
};
StreamedAnalysis analyze_stream_with_events(const Analyzer& analyzer, const SampleReader& read,
                                           const AnalysisOptions& options, const AnalysisEventOptions& events = {});

// Adds "events", "event_counts", "quality" (the raised flags) and
// timings_ms.events to an analysis' JSON.
void add_events_json(nlohmann::json& analysis_json, const AnalysisEvents& events);

// The events back from a stored analysis' JSON (for exports).
std::vector<Event> events_from_json(const nlohmann::json& analysis_json);

}  // namespace soundlens
