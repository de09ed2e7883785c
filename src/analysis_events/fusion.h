#pragma once
// Two models' analyses of one recording fused into one set of events (the
// `fused` model: mn04_as and yamnet). Their frame evidence is combined per
// class and per frame (the rule measured best in docs/events-measured.md),
// events are detected on it with the fused table
// (data/thresholds/fused_<rule>.csv), and each event says what each model
// heard: its peak probability of the class within the event and whether that
// reaches the model's own threshold.
#include <span>
#include <string>

#include "analysis_events/analysis_events.h"

namespace soundlens {

enum class FusionRule { max, mean };
const char* fusion_rule_name(FusionRule rule);  // "max", "mean"

// The two evidences on the first one's grid (the second's frame nearest in
// time). Per class and frame: the maximum or the mean of the two
// probabilities; a class one model has no output for (NaN) takes the other's.
// Error(internal) when either has no frames or the class counts differ.
FrameEvidence fuse_frames(const FrameEvidence& a, const FrameEvidence& b, FusionRule rule);

struct ModelEvidence {
  const Analyzer* analyzer = nullptr;
  const FrameEvidence* frames = nullptr;
};

// Events of the fused evidence; `a` names the classes and gives the band.
EventResult fused_events(const ModelEvidence& a, const ModelEvidence& b, double duration_s,
                         std::span<const int> pinned, const AnalysisEventOptions& events = {},
                         FusionRule rule = FusionRule::max);

}  // namespace soundlens
