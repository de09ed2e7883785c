#pragma once
// Two models' analyses of one recording fused into one set of events (the
// `fused` model: mn04_as and yamnet). Their frame evidence is combined per
// class and per frame, events are detected on it with the fused table
// (data/thresholds/fused.csv: per class its threshold and its rule, the one
// measured best on the mixtures by tools/events/calibrate.py; a class without
// a row takes the mean), and each event says what each model
// heard: its peak probability of the class within the event and whether that
// reaches the model's own threshold.
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "analysis_events/analysis_events.h"

namespace soundlens {

// How one class's two probabilities become one: the first model's, the
// second's, their mean or their maximum. `table`: each class as the fused
// table says (FusionRule::mean for a class it has no row for).
enum class FusionRule { first, second, mean, max, table };
const char* fusion_rule_name(FusionRule rule);  // "first", "second", "mean", "max", "table"

// The two evidences on the first one's grid (the second's frame nearest in
// time), class by class by the rule; a class one model has no output for
// (NaN) takes the other's. The column evidence (FrameEvidence::columns, or the
// probabilities of a model that does not pool) is fused the same way.
// Error(internal) when either has no frames or the class counts differ.
FrameEvidence fuse_frames(const FrameEvidence& a, const FrameEvidence& b, FusionRule rule);
// Each class's rule under FusionRule::table (index -> rule; classes absent take mean).
const std::vector<std::pair<int, FusionRule>>& fused_table_rules();

struct ModelEvidence {
  const Analyzer* analyzer = nullptr;
  const FrameEvidence* frames = nullptr;
};

// Events of the fused evidence; `a` names the classes and gives the band.
EventResult fused_events(const ModelEvidence& a, const ModelEvidence& b, double duration_s,
                         std::span<const int> pinned, const AnalysisEventOptions& events = {},
                         FusionRule rule = FusionRule::table);

}  // namespace soundlens
