#include "analysis_events/analysis_events.h"

#include "core/error.h"
#include "events/events_json.h"
#include "events/quality.h"

namespace soundlens {

std::vector<int> pinned_classes(const AnalysisOptions& options, const Labels& labels) {
  std::vector<int> pinned;
  for (const auto& wanted : options.classes) {
    const auto index = labels.find(wanted);
    if (!index) throw Error(ErrorCode::bad_request, "unknown class '" + wanted + "'");
    pinned.push_back(*index);
  }
  return pinned;
}

void ask_for_event_classes(AnalysisOptions& options, const Labels& labels, const EventOptions& events) {
  const std::vector<int> pinned = pinned_classes(options, labels);
  options.more_targets = [pinned, events](const std::vector<TimelineWindow>& timeline) {
    return event_classes(timeline, pinned, events);
  };
}

AnalysisEvents analysis_events(const Analyzer& analyzer, const Audio& audio, const Analysis& analysis,
                               const AnalysisOptions& options, const EventOptions& events) {
  const std::vector<int> pinned = pinned_classes(options, analyzer.labels());
  // The front end's mel centre frequencies, for the rows' bands.
  const std::vector<float> second(32000, 0.0f);  // compute() takes 32 kHz samples
  const auto center_hz = analyzer.model().frontend().compute(second).center_hz;
  AnalysisEvents out;
  out.result = detect_events(analysis.timeline, profiles_from_analysis(analysis, center_hz, pinned),
                             analysis.duration_s, events);
  out.quality = quality_flags(audio, analysis);
  return out;
}

void add_events_json(nlohmann::json& j, const AnalysisEvents& events) {
  j["events"] = events_to_json(events.result.events);
  j["event_counts"] = event_counts_to_json(events.result.counts);
  std::vector<QualityFlag> raised;
  for (const auto& f : events.quality)
    if (f.raised) raised.push_back(f);
  j["quality"] = quality_to_json(raised);
}

std::vector<Event> events_from_json(const nlohmann::json& j) {
  std::vector<Event> out;
  if (!j.contains("events") || !j["events"].is_array()) return out;
  for (const auto& e : j["events"]) {
    Event ev;
    ev.index = e.value("index", 0);
    ev.label = e.value("label", "");
    ev.onset_s = e.value("onset_s", 0.0);
    ev.offset_s = e.value("offset_s", 0.0);
    ev.probability = e.value("probability", 0.0f);
    ev.low_hz = e.value("low_hz", 0.0);
    ev.high_hz = e.value("high_hz", 0.0);
    out.push_back(std::move(ev));
  }
  return out;
}

}  // namespace soundlens
