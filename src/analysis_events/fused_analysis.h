#pragma once
// The `fused` model: mn04_as and yamnet on one recording, each window through
// each network once, as one analysis. Per class, the clip's and each window's
// probability is the higher of the two models' (a class one model has no output
// for takes the other's), and says which model gave it; every explained class
// has each model's own map (tagged with its model, both on the recording's
// time axis); events come from fused_events on the two passes' frame evidence.
// The first model gives the grid: the timeline's windows, the figure's
// spectrogram, the events' frames and band.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/analysis.h"
#include "analysis_events/analysis_events.h"
#include "analysis_events/event_options.h"

namespace soundlens {

inline constexpr std::string_view kFusedModelName = "fused";
// The models it is made of, in order: {"mn04_as", "yamnet"}.
const std::vector<std::string>& fused_model_parts();
bool is_fused_model(std::string_view name);

struct FusedModels {
  const Analyzer* first = nullptr;   // mn04_as
  const Analyzer* second = nullptr;  // yamnet
};

// Per class, the higher of the two probabilities; NaN (no output) takes the other's.
float fused_probability(float a, float b);

// The two analyses as one (model "fused", `models` the two names): clip
// probabilities and predictions (top_k, each with its model), the timeline on
// the first's windows (the second's windows that overlap each one, at their
// maximum, combined with it), and each model's maps of `targets` (first's,
// then second's, per class). Timings are summed, except "analysis" (the
// longer part's: the parts run one inside the other or side by side). No frame evidence.
Analysis fuse_analyses(const Analysis& first, const Analysis& second, const Labels& labels, int top_k,
                       std::span<const int> targets);

// The classes a fused analysis explains: the top_k of the fused clip
// probabilities, then the pinned ones not among them.
std::vector<int> fused_targets(std::span<const float> first_clip, std::span<const float> second_clip, int top_k,
                               std::span<const int> pinned);

// The windows both networks need for `samples` (32 kHz) under `options`:
// Error(too_many_windows) naming both counts when their sum passes options.limits.max_windows.
void check_fused_windows(const FusedModels& models, std::size_t samples, const AnalysisOptions& options);

// The fused analysis of a recording held whole, with its events and quality
// flags. `options` as the user gave them (window_s and hop_s are the first
// model's; the event windows are always the passes' own). The time limit and
// the window limit count both networks' work.
StreamedAnalysis fused_analyze(const FusedModels& models, const Audio& audio, const AnalysisOptions& options,
                               const AnalysisEventOptions& events = {});

// The same of a recording never held whole (Analyzer::analyze_stream, each model's two readings).
StreamedAnalysis fused_analyze_stream(const FusedModels& models, const SampleReader& read,
                                      const AnalysisOptions& options, const AnalysisEventOptions& events = {});

}  // namespace soundlens
