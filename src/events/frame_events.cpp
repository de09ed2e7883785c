#include "events/frame_events.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/error.h"

namespace soundlens {
namespace {

struct Run {
  int first = 0, last = 0;  // frames, inclusive
};

void check(const ClassFrames& f, const FrameEventOptions& o) {
  if (f.classes < 1 || !(f.seconds_per_frame > 0) || f.probabilities.size() % std::size_t(f.classes) != 0)
    throw Error(ErrorCode::internal, "detect_frame_events: the evidence does not fill whole frames");
  auto unit = [](double v) { return v >= 0 && v <= 1; };
  for (const auto& r : o.rules)
    if (!unit(r.threshold) || !unit(r.low) || r.low > r.threshold || r.index < 0 || r.index >= f.classes)
      throw Error(ErrorCode::bad_request, "the event threshold of class " + std::to_string(r.index) +
                                              " must satisfy 0 <= low <= threshold <= 1");
  if (!unit(o.other_threshold) || !unit(o.other_low) || o.other_low > o.other_threshold)
    throw Error(ErrorCode::bad_request, "event thresholds must satisfy 0 <= low <= high <= 1");
  if (!(o.min_duration_s >= 0) || !(o.merge_gap_s >= 0))
    throw Error(ErrorCode::bad_request, "event min_duration_s and merge_gap_s must be at least 0");
  if (!(o.onset_fraction >= 0 && o.onset_fraction <= 1))
    throw Error(ErrorCode::bad_request, "event onset_fraction must be between 0 and 1");
  if (!f.columns.empty() && f.columns.size() != f.probabilities.size())
    throw Error(ErrorCode::internal, "detect_frame_events: the column evidence does not match the frames");
  if (o.max_other_classes < 0) throw Error(ErrorCode::bad_request, "event max_classes must be at least 0");
}

// Hysteresis over one class's frames, then runs at most merge_gap apart joined.
std::vector<Run> runs_of(const ClassFrames& f, int c, double high, double low, int gap_frames) {
  const int n = f.frames();
  auto p = [&](int t) {
    const float v = f.at(t, c);
    return std::isnan(v) ? 0.0f : v;
  };
  std::vector<char> on(std::size_t(n), 0);
  for (int t = 0; t < n; ++t) {
    if (p(t) < high || on[std::size_t(t)]) continue;
    on[std::size_t(t)] = 1;
    for (int l = t - 1; l >= 0 && !on[std::size_t(l)] && p(l) >= low; --l) on[std::size_t(l)] = 1;
    for (int r = t + 1; r < n && !on[std::size_t(r)] && p(r) >= low; ++r) on[std::size_t(r)] = 1;
  }
  std::vector<Run> out;
  for (int t = 0; t < n; ++t) {
    if (!on[std::size_t(t)]) continue;
    if (!out.empty() && t - out.back().last - 1 <= gap_frames)
      out.back().last = t;
    else
      out.push_back({t, t});
  }
  return out;
}

float peak(const ClassFrames& f, int c, int first, int last) {
  float best = 0;
  for (int t = std::max(0, first); t <= std::min(last, f.frames() - 1); ++t) {
    const float v = f.at(t, c);
    if (!std::isnan(v)) best = std::max(best, v);
  }
  return best;
}

// The classes to place: every rule's, every pinned one, then the most probable others.
std::map<int, std::pair<double, double>> classes_to_place(const ClassFrames& f, const FrameEventOptions& o,
                                                          std::span<const int> pinned) {
  std::map<int, std::pair<double, double>> out;
  for (const auto& r : o.rules) out[r.index] = {r.threshold, r.low};
  for (int c : pinned)
    if (c >= 0 && c < f.classes) out.emplace(c, std::pair{o.other_threshold, o.other_low});
  std::vector<std::pair<float, int>> peaks;
  for (int c = 0; c < f.classes; ++c)
    if (!out.count(c)) peaks.push_back({peak(f, c, 0, f.frames() - 1), c});
  std::stable_sort(peaks.begin(), peaks.end(), [](auto a, auto b) { return a.first > b.first; });
  for (int i = 0; i < int(peaks.size()) && i < o.max_other_classes && peaks[std::size_t(i)].first >= o.other_threshold; ++i)
    out.emplace(peaks[std::size_t(i)].second, std::pair{o.other_threshold, o.other_low});
  return out;
}

std::string label_of(const std::vector<std::string>& labels, int c) {
  return c >= 0 && std::size_t(c) < labels.size() ? labels[std::size_t(c)] : std::string();
}

}  // namespace

std::pair<int, int> narrow_to_columns(const ClassFrames& f, int c, int first, int last, double fraction) {
  if (f.columns.empty() || !(fraction > 0)) return {first, last};
  auto column = [&](int t) {
    const float v = f.columns[std::size_t(t) * std::size_t(f.classes) + std::size_t(c)];
    return std::isnan(v) ? 0.0f : v;
  };
  float top = 0;
  for (int t = first; t <= last; ++t) top = std::max(top, column(t));
  if (!(top > 0)) return {first, last};
  const float bar = float(fraction) * top;
  int a = first, b = last;
  while (column(a) < bar) ++a;
  while (column(b) < bar) --b;
  return {a, b};
}

std::vector<Event> resolve_related(std::vector<ScoredEvent> scored, const std::vector<std::pair<int, int>>& related) {
  std::set<std::pair<int, int>> pairs;
  for (auto [a, b] : related) pairs.insert({std::min(a, b), std::max(a, b)});
  auto is_related = [&](int a, int b) { return pairs.count({std::min(a, b), std::max(a, b)}) > 0; };
  std::stable_sort(scored.begin(), scored.end(), [](const ScoredEvent& a, const ScoredEvent& b) {
    return a.pinned != b.pinned ? a.pinned : a.margin > b.margin;
  });
  std::vector<Event> kept;
  for (auto& [pinned, margin, e] : scored) {
    Event* into = nullptr;
    for (auto& k : kept)
      if (k.index != e.index && is_related(k.index, e.index) && e.onset_s < k.offset_s && e.offset_s > k.onset_s) {
        into = &k;
        break;
      }
    if (!into) {
      kept.push_back(std::move(e));
      continue;
    }
    auto same = std::find_if(into->alternatives.begin(), into->alternatives.end(),
                             [&](const EventAlternative& a) { return a.index == e.index; });
    if (same == into->alternatives.end())
      into->alternatives.push_back({e.index, e.label, e.probability});
    else
      same->probability = std::max(same->probability, e.probability);
    std::stable_sort(into->alternatives.begin(), into->alternatives.end(),
                     [](const EventAlternative& a, const EventAlternative& b) { return a.probability > b.probability; });
  }
  std::sort(kept.begin(), kept.end(), [](const Event& a, const Event& b) {
    return a.onset_s != b.onset_s ? a.onset_s < b.onset_s : a.index < b.index;
  });
  return kept;
}

std::vector<EventCount> count_events(const std::vector<Event>& events, std::span<const int> pinned,
                                     const std::vector<std::string>& labels, double duration_s) {
  std::map<int, EventCount> counts;
  for (int c : pinned) counts[c] = {c, label_of(labels, c), 0, 0};
  for (const auto& e : events) {
    auto& entry = counts[e.index];
    entry.index = e.index;
    entry.label = e.label;
    ++entry.count;
  }
  std::vector<EventCount> out;
  for (auto& [index, entry] : counts) {
    entry.per_hour = duration_s > 0 ? entry.count * 3600.0 / duration_s : 0;
    out.push_back(entry);
  }
  std::stable_sort(out.begin(), out.end(), [](const EventCount& a, const EventCount& b) { return a.count > b.count; });
  return out;
}

std::vector<char> window_presence(std::span<const WindowProbabilities> windows, double seconds_per_frame,
                                  int frames, int classes, double high, double low, std::span<const int> asked) {
  if (!(seconds_per_frame > 0) || frames < 0 || classes < 0 || !(low <= high))
    throw Error(ErrorCode::bad_request, "window presence: bad grid or thresholds");
  std::vector<char> heard(std::size_t(classes), 0);
  for (int c : asked)
    if (c >= 0 && c < classes) heard[std::size_t(c)] = 1;
  std::vector<char> present(std::size_t(frames) * std::size_t(classes), 0);
  for (const auto& w : windows) {
    if (w.probabilities.size() != std::size_t(classes)) continue;  // a window without all classes says nothing
    const int first = std::max(0, int(std::floor(w.start_s / seconds_per_frame)));
    const int last = std::min(frames - 1, int(std::ceil(w.end_s / seconds_per_frame)) - 1);
    for (int c = 0; c < classes; ++c) {
      const float p = w.probabilities[std::size_t(c)];
      if (p >= high) heard[std::size_t(c)] = 1;
      if (p < low) continue;
      for (int t = first; t <= last; ++t) present[std::size_t(t) * std::size_t(classes) + std::size_t(c)] = 1;
    }
  }
  for (int t = 0; t < frames; ++t)
    for (int c = 0; c < classes; ++c) present[std::size_t(t) * std::size_t(classes) + std::size_t(c)] &= heard[std::size_t(c)];
  return present;
}

EventResult detect_frame_events(const ClassFrames& frames, const FrameEventOptions& o, std::span<const int> pinned,
                                const std::vector<std::string>& labels) {
  check(frames, o);
  // Frames the windows do not hear hold nothing (0) for detection (read
  // through ClassFrames::at, not copied: an 8 h copy is 190 MB).
  ClassFrames f = frames;
  if (!o.present.empty()) {
    if (o.present.size() != frames.probabilities.size())
      throw Error(ErrorCode::internal, "events: the windows' presence does not cover the frames");
    f.present = o.present;
  }
  const double spf = f.seconds_per_frame;
  const double duration_s = f.frames() * spf;
  const int gap_frames = int(std::floor(o.merge_gap_s / spf + 1e-9));
  std::vector<ScoredEvent> events;
  for (const auto& [c, rule] : classes_to_place(f, o, pinned)) {
    for (const auto& run : runs_of(f, c, rule.first, rule.second, gap_frames)) {
      Event e;
      e.index = c;
      e.label = label_of(labels, c);
      if (std::min(duration_s, (run.last + 1) * spf) - run.first * spf < o.min_duration_s - 1e-9) continue;
      const auto [first, last] = narrow_to_columns(f, c, run.first, run.last, o.onset_fraction);
      e.onset_s = first * spf;
      e.offset_s = std::min(duration_s, (last + 1) * spf);
      e.probability = peak(f, c, run.first, run.last);
      e.low_hz = o.low_hz;
      e.high_hz = o.high_hz;
      const bool asked = std::find(pinned.begin(), pinned.end(), c) != pinned.end();
      const double margin = e.probability / std::max(rule.first, 1e-9);
      events.push_back({asked, margin, std::move(e)});
    }
  }
  EventResult result;
  result.events = resolve_related(std::move(events), o.related);
  result.counts = count_events(result.events, pinned, labels, duration_s);
  return result;
}

}  // namespace soundlens
