#include "compare/compare.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.h"

namespace soundlens {
namespace {

const Explanation* explanation_of(const Analysis& analysis, int index) {
  for (const auto& e : analysis.explanations)
    if (e.target.index == index && !e.contrast && !e.cam.values.empty()) return &e;
  return nullptr;
}

bool contains(const std::vector<Prediction>& list, int index) {
  return std::any_of(list.begin(), list.end(), [&](const Prediction& p) { return p.index == index; });
}

double overlap(const Event& a, const Event& b) {
  return std::min(a.offset_s, b.offset_s) - std::max(a.onset_s, b.onset_s);
}

}  // namespace

std::vector<Prediction> top_classes(const Analysis& analysis, int top) {
  std::vector<int> order;
  for (int i = 0; i < int(analysis.probabilities.size()); ++i)
    if (std::isfinite(analysis.probabilities[std::size_t(i)])) order.push_back(i);
  const auto n = std::min<std::size_t>(std::size_t(std::max(top, 0)), order.size());
  std::partial_sort(order.begin(), order.begin() + std::ptrdiff_t(n), order.end(), [&](int a, int b) {
    const float pa = analysis.probabilities[std::size_t(a)], pb = analysis.probabilities[std::size_t(b)];
    return pa != pb ? pa > pb : a < b;
  });
  std::vector<Prediction> out;
  for (std::size_t i = 0; i < n; ++i) {
    Prediction p;
    p.index = order[i];
    p.probability = analysis.probabilities[std::size_t(p.index)];
    // The label as the analysis names it (its predictions or explanations), else the index.
    for (const auto& q : analysis.predictions)
      if (q.index == p.index) p.label = q.label;
    if (p.label.empty())
      if (const auto* e = explanation_of(analysis, p.index)) p.label = e->target.label;
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<double> time_profile(const CamMap& cam) {
  if (cam.rows <= 0 || cam.cols <= 0 || cam.values.size() != std::size_t(cam.rows) * std::size_t(cam.cols))
    throw Error(ErrorCode::internal, "an explanation map's size does not match its rows and columns");
  std::vector<double> profile(std::size_t(cam.cols), 0.0);
  for (int r = 0; r < cam.rows; ++r)
    for (int c = 0; c < cam.cols; ++c) profile[std::size_t(c)] += cam.at(r, c);
  return profile;
}

std::vector<double> resample_profile(std::span<const double> profile, double seconds_per_column,
                                     std::span<const double> times) {
  std::vector<double> out;
  out.reserve(times.size());
  const double last = double(profile.size()) - 1;
  for (double t : times) {
    if (profile.empty()) {
      out.push_back(0);
      continue;
    }
    const double x = std::clamp(t / seconds_per_column - 0.5, 0.0, std::max(last, 0.0));  // column centres
    const auto i = std::size_t(std::floor(x));
    const double f = x - double(i);
    out.push_back(i + 1 < profile.size() ? profile[i] * (1 - f) + profile[i + 1] * f : profile[i]);
  }
  return out;
}

std::optional<double> pearson(std::span<const double> x, std::span<const double> y) {
  if (x.size() != y.size() || x.size() < 2) return std::nullopt;
  const double n = double(x.size());
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n;
  const double my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  // Relative to the values' scale: rounding leaves a "constant" profile a tiny variance.
  const double scale_x = std::max(1.0, mx * mx) * n, scale_y = std::max(1.0, my * my) * n;
  if (sxx <= 1e-12 * scale_x || syy <= 1e-12 * scale_y) return std::nullopt;
  return std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
}

std::optional<double> profile_pearson(const CamMap& a, const CamMap& b) {
  if (a.seconds_per_column <= 0 || b.seconds_per_column <= 0) return std::nullopt;
  const double step = std::min(a.seconds_per_column, b.seconds_per_column);
  const double span = std::min(a.cols * a.seconds_per_column, b.cols * b.seconds_per_column);
  std::vector<double> times;
  for (double t = step / 2; t < span; t += step) times.push_back(t);  // cell centres of the finer grid
  const auto pa = time_profile(a), pb = time_profile(b);
  return pearson(resample_profile(pa, a.seconds_per_column, times),
                 resample_profile(pb, b.seconds_per_column, times));
}

void match_events(std::span<const Event> first, std::span<const Event> second, std::vector<MatchedEvent>& both,
                  std::vector<Event>& first_only, std::vector<Event>& second_only) {
  struct Candidate {
    double overlap_s;
    std::size_t i, j;
  };
  std::vector<Candidate> candidates;
  for (std::size_t i = 0; i < first.size(); ++i)
    for (std::size_t j = 0; j < second.size(); ++j)
      if (first[i].index == second[j].index && overlap(first[i], second[j]) > 0)
        candidates.push_back({overlap(first[i], second[j]), i, j});
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) { return a.overlap_s > b.overlap_s; });
  std::vector<bool> used_first(first.size()), used_second(second.size());
  std::vector<MatchedEvent> matched;
  for (const auto& c : candidates) {
    if (used_first[c.i] || used_second[c.j]) continue;
    used_first[c.i] = used_second[c.j] = true;
    matched.push_back({first[c.i].index, first[c.i].label, c.overlap_s, first[c.i], second[c.j]});
  }
  std::sort(matched.begin(), matched.end(), [](const MatchedEvent& a, const MatchedEvent& b) {
    return a.first.onset_s != b.first.onset_s ? a.first.onset_s < b.first.onset_s : a.index < b.index;
  });
  both.insert(both.end(), matched.begin(), matched.end());
  for (std::size_t i = 0; i < first.size(); ++i)
    if (!used_first[i]) first_only.push_back(first[i]);
  for (std::size_t j = 0; j < second.size(); ++j)
    if (!used_second[j]) second_only.push_back(second[j]);
}

Comparison compare_runs(const ComparedRun& first, const ComparedRun& second, const CompareOptions& options) {
  if (!first.analysis || !second.analysis || !first.events || !second.events)
    throw Error(ErrorCode::internal, "compare needs both analyses and their events");
  if (first.model == second.model) throw Error(ErrorCode::bad_request, "compare needs two different models");
  Comparison c;
  c.models = {first.model, second.model};
  const auto top_a = top_classes(*first.analysis, options.top);
  const auto top_b = top_classes(*second.analysis, options.top);
  c.top_only.resize(2);
  for (const auto& p : top_a) (contains(top_b, p.index) ? c.top_shared : c.top_only[0]).push_back(p);
  for (const auto& p : top_b)
    if (!contains(top_a, p.index)) c.top_only[1].push_back(p);
  for (const auto& p : c.top_shared) {
    const auto* ea = explanation_of(*first.analysis, p.index);
    const auto* eb = explanation_of(*second.analysis, p.index);
    if (ea && eb) c.profile_correlation.push_back({p.index, p.label, profile_pearson(ea->cam, eb->cam)});
  }
  c.events_only.resize(2);
  match_events(*first.events, *second.events, c.events_both, c.events_only[0], c.events_only[1]);
  return c;
}

}  // namespace soundlens
