#include "analysis_events/fusion.h"

#include <algorithm>
#include <cmath>

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

}  // namespace

const char* fusion_rule_name(FusionRule rule) { return rule == FusionRule::max ? "max" : "mean"; }

FrameEvidence fuse_frames(const FrameEvidence& a, const FrameEvidence& b, FusionRule rule) {
  if (a.frames() == 0 || b.frames() == 0 || a.classes != b.classes)
    throw Error(ErrorCode::internal, "fuse_frames: both analyses need frame evidence of the same classes");
  FrameEvidence out;
  out.seconds_per_frame = a.seconds_per_frame;
  out.classes = a.classes;
  out.probabilities.resize(a.probabilities.size());
  const auto k = std::size_t(a.classes);
  for (int t = 0; t < a.frames(); ++t) {
    const float* pa = a.probabilities.data() + std::size_t(t) * k;
    const float* pb = b.probabilities.data() + std::size_t(nearest_frame(b, (t + 0.5) * a.seconds_per_frame)) * k;
    float* o = out.probabilities.data() + std::size_t(t) * k;
    for (std::size_t c = 0; c < k; ++c) {
      if (std::isnan(pa[c]) || std::isnan(pb[c]))
        o[c] = std::isnan(pa[c]) ? pb[c] : pa[c];
      else
        o[c] = rule == FusionRule::max ? std::max(pa[c], pb[c]) : 0.5f * (pa[c] + pb[c]);
    }
  }
  return out;
}

EventResult fused_events(const ModelEvidence& a, const ModelEvidence& b, double duration_s,
                         std::span<const int> pinned, const AnalysisEventOptions& events, FusionRule rule) {
  const FrameEvidence fused = fuse_frames(*a.frames, *b.frames, rule);
  FrameEventOptions o = frame_event_options(*a.analyzer, events);
  o.rules = model_class_rules(std::string("fused_") + fusion_rule_name(rule));
  const FrameEventOptions own_a = frame_event_options(*a.analyzer, events), own_b = frame_event_options(*b.analyzer, events);
  std::vector<std::string> labels;
  for (int c = 0; c < a.analyzer->labels().size(); ++c) labels.push_back(a.analyzer->labels().name(c));
  EventResult r = detect_frame_events({fused.seconds_per_frame, fused.classes, fused.probabilities}, o, pinned, labels);
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
