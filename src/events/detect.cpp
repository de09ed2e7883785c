#include "events/detect.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/error.h"

namespace soundlens {
namespace {

struct Span {
  double begin = 0, end = 0;
};

void check_options(const EventOptions& o) {
  auto unit = [](double v) { return v >= 0 && v <= 1; };
  if (!unit(o.window_high) || !unit(o.window_low) || o.window_low > o.window_high)
    throw Error(ErrorCode::bad_request, "event window thresholds must satisfy 0 <= low <= high <= 1");
  if (!unit(o.profile_high) || !unit(o.profile_low) || o.profile_low > o.profile_high)
    throw Error(ErrorCode::bad_request, "event profile thresholds must satisfy 0 <= low <= high <= 1");
  if (!(o.min_duration_s >= 0) || !(o.merge_gap_s >= 0))
    throw Error(ErrorCode::bad_request, "event min_duration_s and merge_gap_s must be at least 0");
  if (!(o.band_fraction > 0 && o.band_fraction <= 1))
    throw Error(ErrorCode::bad_request, "event band_fraction must be above 0 and at most 1");
  if (o.max_classes < 0) throw Error(ErrorCode::bad_request, "event max_classes must be at least 0");
}

void check_profile(const ClassProfile& p) {
  if (p.rows < 1 || p.cols < 1 || p.cells.size() != std::size_t(p.rows) * p.cols ||
      p.row_edges_hz.size() != std::size_t(p.rows) + 1 || !(p.seconds_per_column > 0))
    throw Error(ErrorCode::internal,
                "detect_events: the profile of class " + std::to_string(p.index) + " does not match its shape");
}

// Joins spans that overlap or lie at most `gap` apart; input in any order.
std::vector<Span> merge(std::vector<Span> spans, double gap) {
  std::sort(spans.begin(), spans.end(), [](Span a, Span b) { return a.begin < b.begin; });
  std::vector<Span> out;
  for (const auto& s : spans) {
    if (!out.empty() && s.begin <= out.back().end + gap)
      out.back().end = std::max(out.back().end, s.end);
    else
      out.push_back(s);
  }
  return out;
}

// Step 1: where the windows say the class is present. Windows at or above
// `high` are present; runs of neighbours at or above `low` extend them. The
// union of their spans is taken, so overlapping windows make one region.
std::vector<Span> present_regions(std::span<const TimelineWindow> timeline, int c, const EventOptions& o) {
  const std::size_t n = timeline.size();
  auto p = [&](std::size_t w) {
    const auto& probabilities = timeline[w].probabilities;
    return std::size_t(c) < probabilities.size() ? probabilities[std::size_t(c)] : 0.0f;
  };
  std::vector<bool> on(n, false);
  for (std::size_t w = 0; w < n; ++w) {
    if (p(w) < o.window_high) continue;
    on[w] = true;
    for (std::size_t l = w; l-- > 0 && !on[l] && p(l) >= o.window_low;) on[l] = true;
    for (std::size_t r = w + 1; r < n && !on[r] && p(r) >= o.window_low; ++r) on[r] = true;
  }
  std::vector<Span> spans;
  for (std::size_t w = 0; w < n; ++w)
    if (on[w]) spans.push_back({timeline[w].start_s, timeline[w].end_s});
  return merge(std::move(spans), 0.0);
}

// Step 2: inside one region, the columns where the class's relevance is
// high (hysteresis relative to the region's own peak).
std::vector<Span> localise(const std::vector<float>& profile, double spc, Span region, const EventOptions& o) {
  const int cols = int(profile.size());
  // Columns whose centre lies in the region.
  const int first = std::clamp(int(std::ceil(region.begin / spc - 0.5)), 0, cols);
  const int last = std::clamp(int(std::ceil(region.end / spc - 0.5)), first, cols);  // exclusive
  float peak = 0;
  for (int c = first; c < last; ++c) peak = std::max(peak, profile[std::size_t(c)]);
  if (first == last || !(peak > 0)) return {region};  // nothing to localise with: the region itself
  std::vector<bool> on(std::size_t(cols), false);
  for (int c = first; c < last; ++c) {
    if (profile[std::size_t(c)] < o.profile_high * peak) continue;
    on[std::size_t(c)] = true;
    for (int l = c - 1; l >= first && !on[std::size_t(l)] && profile[std::size_t(l)] >= o.profile_low * peak; --l)
      on[std::size_t(l)] = true;
    for (int r = c + 1; r < last && !on[std::size_t(r)] && profile[std::size_t(r)] >= o.profile_low * peak; ++r)
      on[std::size_t(r)] = true;
  }
  std::vector<Span> out;
  for (int c = first; c < last; ++c) {
    if (!on[std::size_t(c)]) continue;
    const Span s{std::max(region.begin, c * spc), std::min(region.end, (c + 1) * spc)};
    if (!out.empty() && c > first && on[std::size_t(c - 1)])
      out.back().end = s.end;
    else
      out.push_back(s);
  }
  return out;
}

float peak_probability(std::span<const TimelineWindow> timeline, int c, Span s) {
  float peak = 0;
  for (const auto& w : timeline)
    if (w.start_s < s.end && w.end_s > s.begin && std::size_t(c) < w.probabilities.size())
      peak = std::max(peak, w.probabilities[std::size_t(c)]);
  return peak;
}

// The fewest adjacent rows, grown from the most relevant one towards the
// more relevant neighbour, that hold band_fraction of the relevance in s.
std::pair<double, double> relevance_band(const ClassProfile& p, Span s, double fraction) {
  std::vector<double> rows(std::size_t(p.rows), 0.0);
  const int c0 = std::clamp(int(std::floor(s.begin / p.seconds_per_column + 1e-6)), 0, p.cols - 1);
  const int c1 = std::clamp(int(std::ceil(s.end / p.seconds_per_column - 1e-6)), c0 + 1, p.cols);
  for (int r = 0; r < p.rows; ++r)
    for (int c = c0; c < c1; ++c) rows[std::size_t(r)] += p.cells[std::size_t(r) * p.cols + c];
  double total = 0;
  for (double v : rows) total += v;
  if (!(total > 0)) return {p.row_edges_hz.front(), p.row_edges_hz.back()};
  int lo = int(std::max_element(rows.begin(), rows.end()) - rows.begin()), hi = lo;
  double held = rows[std::size_t(lo)];
  while (held < fraction * total * (1 - 1e-9)) {
    const double below = lo > 0 ? rows[std::size_t(lo - 1)] : -1,
                 above = hi + 1 < p.rows ? rows[std::size_t(hi + 1)] : -1;
    if (above > below)
      held += rows[std::size_t(++hi)];
    else
      held += rows[std::size_t(--lo)];
  }
  return {p.row_edges_hz[std::size_t(lo)], p.row_edges_hz[std::size_t(hi) + 1]};
}

}  // namespace

EventResult detect_events(std::span<const TimelineWindow> timeline, std::span<const ClassProfile> profiles,
                          double duration_s, const EventOptions& o) {
  check_options(o);
  if (!(duration_s > 0)) throw Error(ErrorCode::bad_request, "detect_events: the duration must be above 0");
  EventResult result;
  std::map<int, EventCount> counts;
  for (const auto& p : profiles) {
    check_profile(p);
    const auto profile = p.time_profile();
    std::vector<Span> found;
    for (const auto& region : present_regions(timeline, p.index, o))
      for (const auto& s : localise(profile, p.seconds_per_column, region, o)) found.push_back(s);
    int count = 0;
    for (const auto& s : merge(std::move(found), o.merge_gap_s)) {
      const Span clipped{std::max(0.0, s.begin), std::min(duration_s, s.end)};
      if (clipped.end - clipped.begin < o.min_duration_s - 1e-9) continue;
      const auto [low, high] = relevance_band(p, clipped, o.band_fraction);
      result.events.push_back(
          {p.index, p.label, clipped.begin, clipped.end, peak_probability(timeline, p.index, clipped), low, high});
      ++count;
    }
    if (count > 0 || p.pinned) {
      auto& entry = counts[p.index];
      entry = {p.index, p.label, entry.count + count, 0};
    }
  }
  std::sort(result.events.begin(), result.events.end(), [](const Event& a, const Event& b) {
    return a.onset_s != b.onset_s ? a.onset_s < b.onset_s : a.index < b.index;
  });
  for (auto& [index, entry] : counts) {
    entry.per_hour = entry.count * 3600.0 / duration_s;
    result.counts.push_back(entry);
  }
  std::stable_sort(result.counts.begin(), result.counts.end(),
                   [](const EventCount& a, const EventCount& b) { return a.count > b.count; });
  return result;
}

}  // namespace soundlens
