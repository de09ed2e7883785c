#include "analysis_events/fusion.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.h"
#include "events/thresholds.h"

namespace soundlens {
namespace {

int nearest_frame(const FrameEvidence& f, double t) {
  return std::clamp(int(std::floor(t / f.seconds_per_frame)), 0, f.frames() - 1);
}

float peak_within(const FrameEvidence& f, int c, double onset_s, double offset_s) {
  float best = 0;
  for (int t = nearest_frame(f, onset_s + 1e-9); t <= nearest_frame(f, offset_s - 1e-9); ++t) {
    const float v = f.probabilities[std::size_t(t) * std::size_t(f.classes) + std::size_t(c)];
    if (!std::isnan(v)) best = std::max(best, v);
  }
  return best;
}

double threshold_of(const FrameEventOptions& o, int c) {
  for (const auto& r : o.rules)
    if (r.index == c) return r.threshold;
  return o.other_threshold;
}


float fuse_one(float a, float b, FusionRule rule) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) ? b : a;
  switch (rule) {
    case FusionRule::first: return a;
    case FusionRule::second: return b;
    case FusionRule::max: return std::max(a, b);
    default: return 0.5f * (a + b);
  }
}

// Per class, the rule that fuses it.
std::vector<FusionRule> class_rules(FusionRule rule, int classes) {
  std::vector<FusionRule> out(std::size_t(classes), rule == FusionRule::table ? FusionRule::mean : rule);
  if (rule == FusionRule::table)
    for (const auto& [c, r] : fused_table_rules())
      if (c >= 0 && c < classes) out[std::size_t(c)] = r;
  return out;
}

// `values` of a on its grid, b's nearest frame, fused class by class.
std::vector<float> fuse_grid(const FrameEvidence& a, const std::vector<float>& va, const FrameEvidence& b,
                             const std::vector<float>& vb, const std::vector<FusionRule>& rules) {
  std::vector<float> out(va.size());
  const auto k = std::size_t(a.classes);
  for (int t = 0; t < a.frames(); ++t) {
    const float* pa = va.data() + std::size_t(t) * k;
    const float* pb = vb.data() + std::size_t(nearest_frame(b, (t + 0.5) * a.seconds_per_frame)) * k;
    float* o = out.data() + std::size_t(t) * k;
    for (std::size_t c = 0; c < k; ++c) o[c] = fuse_one(pa[c], pb[c], rules[c]);
  }
  return out;
}

FusionRule rule_named(const std::string& name, int line) {
  for (FusionRule r : {FusionRule::first, FusionRule::second, FusionRule::mean, FusionRule::max})
    if (name == fusion_rule_name(r)) return r;
  throw Error(ErrorCode::internal, "the event table thresholds/fused.csv line " + std::to_string(line) +
                                       ": unknown rule '" + name + "' (first, second, mean or max)");
}

}  // namespace

const char* fusion_rule_name(FusionRule rule) {
  switch (rule) {
    case FusionRule::first: return "first";
    case FusionRule::second: return "second";
    case FusionRule::max: return "max";
    case FusionRule::mean: return "mean";
    default: return "table";
  }
}

const std::vector<std::pair<int, FusionRule>>& fused_table_rules() {
  static const auto rules = [] {
    std::vector<std::pair<int, FusionRule>> out;
    for (const auto& [c, name, line] : class_table_column("fused", "rule")) out.push_back({c, rule_named(name, line)});
    return out;
  }();
  return rules;
}

FrameEvidence fuse_frames(const FrameEvidence& a, const FrameEvidence& b, FusionRule rule) {
  if (a.frames() == 0 || b.frames() == 0 || a.classes != b.classes)
    throw Error(ErrorCode::internal, "fuse_frames: both analyses need frame evidence of the same classes");
  const auto rules = class_rules(rule, a.classes);
  FrameEvidence out;
  out.seconds_per_frame = a.seconds_per_frame;
  out.classes = a.classes;
  out.probabilities = fuse_grid(a, a.probabilities, b, b.probabilities, rules);
  if (!a.columns.empty() || !b.columns.empty())
    out.columns = fuse_grid(a, a.columns.empty() ? a.probabilities : a.columns, b,
                            b.columns.empty() ? b.probabilities : b.columns, rules);
  return out;
}

EventResult fused_events(const ModelEvidence& a, const ModelEvidence& b, double duration_s,
                         std::span<const int> pinned, const AnalysisEventOptions& events, FusionRule rule) {
  const FrameEvidence fused = fuse_frames(*a.frames, *b.frames, rule);
  FrameEventOptions o = frame_event_options(*a.analyzer, events);
  o.rules = model_class_rules("fused");  // its thresholds were fitted with the table's rules
  if (!fused.columns.empty()) o.onset_fraction = std::max(a.analyzer->model().info().event_onset_fraction,
                                                          b.analyzer->model().info().event_onset_fraction);
  const FrameEventOptions own_a = frame_event_options(*a.analyzer, events), own_b = frame_event_options(*b.analyzer, events);
  std::vector<std::string> labels;
  for (int c = 0; c < a.analyzer->labels().size(); ++c) labels.push_back(a.analyzer->labels().name(c));
  EventResult r =
      detect_frame_events({fused.seconds_per_frame, fused.classes, fused.probabilities, fused.columns}, o, pinned, labels);
  for (auto& e : r.events)
    for (const auto* m : {&a, &b}) {
      const float p = peak_within(*m->frames, e.index, e.onset_s, e.offset_s);
      const double own = threshold_of(m == &a ? own_a : own_b, e.index);
      e.models.push_back({m->analyzer->model().info().name, p, p >= own});
    }
  r.counts = count_events(r.events, pinned, labels, duration_s);
  return r;
}

}  // namespace soundlens
