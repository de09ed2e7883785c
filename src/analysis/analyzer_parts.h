#pragma once
// Private to the analysis stage: the checks and helpers the whole-recording
// and the streamed analyses share.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <span>
#include <string>
#include <vector>

#include "analysis/analysis.h"
#include "core/error.h"

namespace soundlens::analysis_detail {

constexpr double kMinDurationS = 0.1;
constexpr std::size_t kWindowsPerBatch = 8;  // bounds activation memory on long recordings

using Clock = std::chrono::steady_clock;
inline double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

inline float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

// What every analysis needs of the samples: some, at least kMinDurationS of them, not all zero.
inline void check_usable(std::size_t samples, int sample_rate, bool all_zero) {
  if (samples == 0) throw Error(ErrorCode::empty_audio, "the recording has no samples");
  const double duration_s = sample_rate > 0 ? double(samples) / sample_rate : 0.0;
  if (duration_s < kMinDurationS) {
    char text[96];
    std::snprintf(text, sizeof text, "the recording lasts %.3g s; at least %g s is needed", duration_s,
                  kMinDurationS);
    throw Error(ErrorCode::too_short, text);
  }
  if (all_zero) throw Error(ErrorCode::silent_audio, "the recording is digital silence: every sample is zero");
}

inline void check_usable(const Audio& audio) {
  if (audio.samples.empty()) check_usable(0, audio.sample_rate, true);
  check_usable(audio.samples.size(), audio.sample_rate,
               std::all_of(audio.samples.begin(), audio.samples.end(), [](float s) { return s == 0.0f; }));
}

// top_k is at most k: a trained model of three classes shows its three under the default of five.
inline void check_options(const AnalysisOptions& o) { validate_options(o); }

// A job's hooks, beside the time limit: report how far the stage is, stop when cancelled.
inline void check_progress(const AnalysisOptions& o, const char* stage, double fraction) {
  check_cancel(o.stop);
  if (o.progress) o.progress(stage, std::clamp(fraction, 0.0, 1.0));
}

// The wall-clock limit of one analysis, checked between batches of windows.
class Deadline {
 public:
  explicit Deadline(double seconds)
      : seconds_(seconds), end_(Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                     std::chrono::duration<double>(seconds))) {}
  void check() const {
    if (Clock::now() <= end_) return;
    char text[32];
    std::snprintf(text, sizeof text, "%g", seconds_);
    throw Error(ErrorCode::timeout, std::string("the analysis took longer than its limit of ") + text +
                                        " s (--analysis-timeout-s); the service may be busy, or the recording "
                                        "too long for this limit");
  }

 private:
  double seconds_;
  Clock::time_point end_;
};

inline void check_window_count(std::size_t windows, double window_s, double hop_s, const AnalysisOptions& o) {
  if (long(windows) <= o.limits.max_windows) return;
  char text[200];
  std::snprintf(text, sizeof text,
                "this recording would need %zu windows of %g s with a hop of %g s; the limit is %ld "
                "(--max-windows): use a larger hop_s or window_s",
                windows, window_s, hop_s, o.limits.max_windows);
  throw Error(ErrorCode::too_many_windows, text);
}

// NaN marks a class the model has no output for (ModelInfo::missing_classes): never ranked.
inline std::vector<int> top_classes(std::span<const float> probabilities, int k) {
  std::vector<int> order;
  for (int c = 0; c < int(probabilities.size()); ++c)
    if (!std::isnan(probabilities[c])) order.push_back(c);
  k = std::min<int>(k, int(order.size()));
  std::partial_sort(order.begin(), order.begin() + k, order.end(),
                    [&](int a, int b) { return probabilities[a] > probabilities[b]; });
  order.resize(k);
  return order;
}

// A model with its own window (YAMNet: one patch) ignores the user's window and hop.
// One window of a pass into the frame evidence: the model's pooled evidence
// (ModelInfo::event_pool_columns) and, when that pools, each column's own.
inline void add_frame_evidence(FrameStitcher& stitcher, double start_s, const ForwardPass& pass, int window,
                               int pool_columns) {
  if (pool_columns > 1)
    stitcher.add(start_s, pass.frame_logits(window, pool_columns), pass.frame_logits(window, 1));
  else
    stitcher.add(start_s, pass.frame_logits(window, 1));
}

// One frame of the frame evidence: a column of the last block (Analyzer::frame_seconds).
inline double frame_seconds(const Model& m) { return m.info().time_stride * m.frontend().seconds_per_frame(); }

inline double window_s(const Model& m, const AnalysisOptions& o) { return m.info().window_s > 0 ? m.info().window_s : o.window_s; }
inline double hop_s(const Model& m, const AnalysisOptions& o) { return m.info().hop_s > 0 ? m.info().hop_s : o.hop_s; }

inline void check_predicted(const Model& m, const Labels& labels, int index) {
  const auto& missing = m.info().missing_classes;
  if (std::find(missing.begin(), missing.end(), index) != missing.end())
    throw Error(ErrorCode::bad_request, "model '" + m.info().name + "' has no output for class '" +
                                            labels.name(index) + "'");
}

}  // namespace soundlens::analysis_detail
