#include "analysis_events/analysis_events.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>

#include "core/error.h"
#include "events/events_json.h"
#include "events/quality.h"
#include "events/streaming_events.h"
#include "events/thresholds.h"
#include "model/trained_model.h"

namespace soundlens {

std::vector<int> pinned_classes(const AnalysisOptions& options, const Labels& labels) {
  std::vector<int> pinned;
  for (const auto& wanted : options.classes) {
    const auto index = labels.find(wanted);
    if (!index) throw Error(ErrorCode::bad_request, "unknown class " + quoted_value(wanted));
    pinned.push_back(*index);
  }
  return pinned;
}

namespace {

// Models with fixed windows (YAMNet) analyse with their own, whatever is asked;
// event windows of 0 are the analysis' own.
bool windows_are_the_event_windows(const Analyzer& analyzer, double window_s, double hop_s,
                                   const AnalysisEventOptions& events) {
  const ModelInfo& info = analyzer.model().info();
  return info.window_s > 0 || events.window_s == 0 || (window_s == events.window_s && hop_s == events.hop_s);
}

// The options of the pass over the event windows: their frame evidence only.
// The pass explains its top class with Grad-CAM (the head's backward pass,
// whatever method the maps use): events never run an explanation method.
AnalysisOptions event_run_options(const AnalysisOptions& options, const AnalysisEventOptions& events) {
  AnalysisOptions o;
  o.top_k = 1;
  o.window_s = events.window_s;
  o.hop_s = events.hop_s;
  o.method = "gradcam";
  o.frame_evidence = true;
  o.limits = options.limits;
  o.stop = options.stop;
  // A job sees this pass as one stage: its windows, then its explanations (the last tenth).
  if (options.progress)
    o.progress = [progress = options.progress](const std::string& stage, double fraction) {
      progress("events", stage == "windows" ? 0.9 * fraction : 0.9 + 0.1 * fraction);
    };
  return o;
}

[[noreturn]] void throw_for_events(const Error& e) {
  throw Error(ErrorCode::too_many_windows, std::string("finding events: ") + e.what() +
                                               " (for events: event_window_s and event_hop_s)");
}

Analysis event_pass(const Analyzer& analyzer, const Audio& audio, const AnalysisOptions& options,
                    const AnalysisEventOptions& events) {
  try {
    return analyzer.analyze(audio, event_run_options(options, events));
  } catch (const Error& e) {
    if (e.code() != ErrorCode::too_many_windows) throw;
    throw_for_events(e);
  }
}

std::vector<std::string> label_list(const Labels& labels) {
  std::vector<std::string> out;
  for (int c = 0; c < labels.size(); ++c) out.push_back(labels.name(c));
  return out;
}

}  // namespace

FrameEventOptions frame_event_options(const Analyzer& analyzer, const AnalysisEventOptions& events) {
  FrameEventOptions o;
  // The calibrated tables and the related classes are of AudioSet's classes: a trained model's own
  // classes take its own thresholds (MODEL/thresholds.csv, fitted on its held-out folds) or, when it
  // has none, the options' ones, and are never merged as relatives.
  const bool audioset = analyzer.model().info().class_names.empty();
  if (audioset) o.rules = model_class_rules(analyzer.model().info().name);
  if (const auto* trained = trained_parts(analyzer.model()))
    for (const auto& t : trained->event_thresholds) o.rules.push_back({t.index, t.threshold, t.low});
  o.other_threshold = events.detect.window_high;
  o.other_low = events.detect.window_low;
  o.max_other_classes = events.detect.max_classes;
  o.min_duration_s = events.detect.min_duration_s;
  o.merge_gap_s = events.detect.merge_gap_s;
  if (audioset) o.related = related_classes();
  const ModelInfo& info = analyzer.model().info();
  if (info.event_pool_columns > 1) o.onset_fraction = info.event_onset_fraction;
  const auto edges = analyzer.model().frontend().band_edges_hz();
  if (!edges.empty()) o.low_hz = edges.front(), o.high_hz = edges.back();
  return o;
}

EventResult events_from_frames(const Analyzer& analyzer, const Analysis& windows, double duration_s,
                               std::span<const int> pinned, const AnalysisEventOptions& events) {
  const FrameEvidence& frames = windows.frames;
  if (frames.classes == 0) throw Error(ErrorCode::internal, "events: the analysis kept no frame evidence");
  const auto labels = label_list(analyzer.labels());
  FrameEventOptions o = frame_event_options(analyzer, events);
  // Column-level evidence is gated by what the windows hear; evidence pooled over columns
  // (ModelInfo::event_pool_columns) is a window's judgement already, and the gate would drop
  // true events its calibration kept (mn04_as on events-dev: micro F1 0.74 ungated, 0.47 gated).
  // Frame evidence alone (a cache of it) places events everywhere.
  if (!windows.timeline.empty() && frames.columns.empty()) {
    std::vector<WindowProbabilities> heard;
    for (const auto& w : windows.timeline) heard.push_back({w.start_s, w.end_s, w.probabilities});
    o.present = window_presence(heard, frames.seconds_per_frame, frames.frames(), frames.classes,
                                kWindowPresenceHigh, kWindowPresenceLow, pinned);
  }
  EventResult r = detect_frame_events({frames.seconds_per_frame, frames.classes, frames.probabilities, frames.columns},
                                      o, pinned, labels);
  // The last frame may reach past the recording's end (frames are whole columns): events end with it.
  std::erase_if(r.events, [&](const Event& e) { return e.onset_s >= duration_s; });
  for (auto& e : r.events) e.offset_s = std::min(e.offset_s, duration_s);
  r.counts = count_events(r.events, pinned, labels, duration_s);
  return r;
}

void ask_for_event_classes(AnalysisOptions& options, const Analyzer& analyzer, const AnalysisEventOptions& events) {
  if (windows_are_the_event_windows(analyzer, options.window_s, options.hop_s, events)) options.frame_evidence = true;
}

AnalysisEvents analysis_events(const Analyzer& analyzer, const Audio& audio, const Analysis& analysis,
                               const AnalysisOptions& options, const AnalysisEventOptions& events) {
  const auto started = std::chrono::steady_clock::now();
  const std::vector<int> pinned = pinned_classes(options, analyzer.labels());
  const bool reuse = windows_are_the_event_windows(analyzer, analysis.window_s, analysis.hop_s, events) &&
                     analysis.frames.classes > 0;
  const Analysis found_in = reuse ? Analysis{} : event_pass(analyzer, audio, options, events);
  const Analysis& windows = reuse ? analysis : found_in;
  AnalysisEvents out;
  out.result = events_from_frames(analyzer, windows, analysis.duration_s, pinned, events);
  out.quality = quality_flags(audio, analysis);
  out.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return out;
}

StreamedAnalysis analyze_stream_with_events(const Analyzer& analyzer, const SampleReader& read,
                                           const AnalysisOptions& options, const AnalysisEventOptions& events) {
  const std::vector<int> pinned = pinned_classes(options, analyzer.labels());
  const bool reuse = windows_are_the_event_windows(analyzer, options.window_s, options.hop_s, events);
  std::vector<AnalysisOptions> runs{options};
  if (reuse)
    runs.front().frame_evidence = true;
  else
    runs.push_back(event_run_options(options, events));
  // Evidence pooled over columns is not gated by the windows (events_from_frames): its events are
  // found as the frames settle, exactly as over the whole evidence, which is then never held (an
  // 8 h recording's is 380 MB): the memory stays flat in the length.
  std::optional<StreamingEvents> as_they_settle;
  StreamedEventsOut none_yet;  // at_the_end gives nothing before finish()
  if (reuse && analyzer.model().info().event_pool_columns > 1) {
    as_they_settle.emplace(frame_event_options(analyzer, events), analyzer.frame_seconds(),
                           analyzer.model().info().num_classes, pinned, label_list(analyzer.labels()),
                           StreamingEvents::Settle::at_the_end);
    runs.front().frame_sink = [&](std::span<const float> probabilities, std::span<const float> columns) {
      as_they_settle->push(probabilities, {}, none_yet, columns);
    };
  }
  QualityMeter meter(kFrontEndInputRate);  // the reader's samples (YAMNet's front end is at 16 kHz)
  const SampleSink observe = [&](std::span<const float> block) { meter.push(block); };
  std::vector<Analysis> done;
  try {
    done = analyzer.analyze_stream(read, runs, &observe);
  } catch (const Error& e) {
    // Which run had too many: the event windows' numbers are in the message.
    char windows[96];
    std::snprintf(windows, sizeof windows, "windows of %g s with a hop of %g s", runs.back().window_s,
                  runs.back().hop_s);
    if (e.code() != ErrorCode::too_many_windows || reuse || !std::strstr(e.what(), windows)) throw;
    throw_for_events(e);
  }
  const auto started = std::chrono::steady_clock::now();
  StreamedAnalysis out;
  out.analysis = std::move(done.front());
  const Analysis& windows = reuse ? out.analysis : done.back();
  if (as_they_settle) {
    StreamedEventsOut ended;
    as_they_settle->finish(out.analysis.duration_s, ended);
    for (auto& e : ended.ended) out.events.result.events.push_back(std::move(e.event));
    out.events.result.counts = as_they_settle->counts(out.analysis.duration_s);
  } else {
    out.events.result = events_from_frames(analyzer, windows, out.analysis.duration_s, pinned, events);
  }
  out.events.quality = quality_flags(meter.finish(), out.analysis);
  out.events.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  if (!reuse)
    for (const char* stage : {"features", "inference", "explain"}) out.events.elapsed_ms += windows.timings_ms.at(stage);
  // The frame evidence served the events: the analysis' value does not carry it further.
  out.analysis.frames = {};
  return out;
}

void add_events_json(nlohmann::json& j, const AnalysisEvents& events) {
  j["events"] = events_to_json(events.result.events);
  j["event_counts"] = event_counts_to_json(events.result.counts);
  std::vector<QualityFlag> raised;
  for (const auto& f : events.quality)
    if (f.raised) raised.push_back(f);
  j["quality"] = quality_to_json(raised);
  j["timings_ms"]["events"] = events.elapsed_ms;
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
    for (const auto& a : e.value("alternatives", nlohmann::json::array()))
      ev.alternatives.push_back({a.value("index", 0), a.value("label", ""), a.value("probability", 0.0f)});
    for (const auto& m : e.value("models", nlohmann::json::array()))
      ev.models.push_back({m.value("model", ""), m.value("probability", 0.0f), m.value("supports", false)});
    out.push_back(std::move(ev));
  }
  return out;
}

}  // namespace soundlens
