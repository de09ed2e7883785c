#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

#include "core/error.h"
#include "explain/explanation_method.h"
#include "explain/stitch_cam.h"

namespace soundlens {
namespace {

std::string score_text(const ExplainTarget& t) {
  if (t.contrast_index < 0) return "logit";
  return "logit(" + std::to_string(t.class_index) + ") - logit(" + std::to_string(t.contrast_index) + ")";
}

// Row r covers mel bins [r * bins_per_row, (r + 1) * bins_per_row), clipped to the bands.
std::vector<double> row_edges(const std::vector<double>& band_edges, int rows, double bins_per_row) {
  const int bands = int(band_edges.size()) - 1;
  std::vector<double> edges;
  for (int r = 0; r <= rows; ++r)
    edges.push_back(band_edges[size_t(std::clamp(int(std::lround(r * bins_per_row)), 0, bands))]);
  return edges;
}

// 0, 1, ..., n - 1: every target.
std::vector<std::size_t> indices(std::size_t n) {
  std::vector<std::size_t> out(n);
  std::iota(out.begin(), out.end(), std::size_t(0));
  return out;
}

}  // namespace

struct RecordingExplainer::State {
  const Model& model;
  const ExplanationMethod& method;
  std::vector<ExplainTarget> targets;
  std::vector<std::optional<CamStitcher>> stitchers;  // per target, made at its first grid
  std::vector<CamGrid> first;                         // per target: the first grid's shape (values dropped)
  std::vector<std::optional<double>> completeness;
  const CancelToken* cancel;
};

RecordingExplainer::RecordingExplainer(const Model& model, const ExplanationMethod& method,
                                       std::vector<ExplainTarget> targets, const CancelToken* cancel)
    : state_(new State{model, method, {}, {}, {}, {}, cancel}) {
  for (const auto& t : targets) add_target(t);
}

RecordingExplainer::~RecordingExplainer() = default;

std::size_t RecordingExplainer::add_target(const ExplainTarget& target) {
  State& s = *state_;
  s.targets.push_back(target);
  s.stitchers.emplace_back();
  s.first.emplace_back();
  s.completeness.emplace_back();
  return s.targets.size() - 1;
}

const std::vector<ExplainTarget>& RecordingExplainer::targets() const { return state_->targets; }

void RecordingExplainer::add(const WindowBatch& b, std::span<const double> window_starts_s) {
  add_for(b, window_starts_s, indices(state_->targets.size()));
}

void RecordingExplainer::add_for(const WindowBatch& b, std::span<const double> window_starts_s,
                                 std::span<const std::size_t> which) {
  State& s = *state_;
  if (b.pass == nullptr || b.windows.size() != size_t(b.pass->windows()))
    throw Error(ErrorCode::internal, "explain_recording: a batch's windows and pass differ");
  if (window_starts_s.size() != b.windows.size())
    throw Error(ErrorCode::internal, "explain_recording: " + std::to_string(window_starts_s.size()) +
                                         " window starts for " + std::to_string(b.windows.size()) + " windows");
  if (which.empty()) return;
  std::vector<ExplainTarget> asked;
  for (std::size_t t : which) {
    if (t >= s.targets.size()) throw Error(ErrorCode::internal, "explain_recording: no such target");
    asked.push_back(s.targets[t]);
  }
  const auto& fe = s.model.frontend();
  const double seconds_per_frame = double(fe.hop_length()) / fe.sample_rate();
  auto per_target = s.method.explain(s.model, *b.pass, b.windows, asked, s.cancel);
  for (size_t i = 0; i < which.size(); ++i) {
    const std::size_t t = which[i];
    if (per_target[i].size() != b.windows.size())
      throw Error(ErrorCode::internal, "explain_recording: " + std::to_string(b.windows.size()) +
                                           " window starts for " + std::to_string(per_target[i].size()) + " windows");
    for (size_t w = 0; w < per_target[i].size(); ++w) {
      const CamGrid& g = per_target[i][w];
      if (!s.stitchers[t]) {
        s.stitchers[t].emplace(g.frames_per_column * seconds_per_frame);
        s.first[t] = CamGrid{g.rows, g.cols, g.frames_per_column, g.mel_bins_per_row, {}, {}};
      }
      s.stitchers[t]->add(g, window_starts_s[w]);
      if (g.completeness_error)
        s.completeness[t] = std::max(s.completeness[t].value_or(0.0), *g.completeness_error);
    }
  }
}

std::vector<CamMap> RecordingExplainer::finish(double duration_s) {
  return finish_for(duration_s, indices(state_->targets.size()));
}

std::vector<CamMap> RecordingExplainer::finish_for(double duration_s, std::span<const std::size_t> which) {
  State& s = *state_;
  const auto band_edges = s.model.frontend().band_edges_hz();
  const auto layers = s.method.layers(s.model.info());
  std::string joined;
  for (const auto& l : layers) joined += (joined.empty() ? "" : ", ") + l;
  std::vector<CamMap> maps;
  for (const std::size_t t : which) {
    if (t >= s.targets.size() || !s.stitchers[t]) throw Error(ErrorCode::internal, "stitch_cam: no windows or mismatched placements");
    auto map = s.stitchers[t]->finish(duration_s);
    map.class_index = s.targets[t].class_index;
    map.contrast_index = s.targets[t].contrast_index;
    map.method = s.method.name();
    map.layers = layers;
    map.layer = joined;
    map.score = score_text(s.targets[t]);
    map.frames_per_column = s.first[t].frames_per_column;
    map.mel_bins_per_row = s.first[t].mel_bins_per_row;
    map.row_edges_hz = row_edges(band_edges, map.rows, map.mel_bins_per_row);
    map.completeness_error = s.completeness[t];
    maps.push_back(std::move(map));
  }
  return maps;
}

std::vector<CamMap> explain_recording(const Model& model, const ExplanationMethod& method,
                                      std::span<const WindowBatch> batches, std::span<const double> window_starts_s,
                                      std::span<const ExplainTarget> targets, double duration_s,
                                      const CancelToken* cancel) {
  std::size_t windows = 0;
  for (const auto& b : batches) windows += b.windows.size();
  if (windows != window_starts_s.size())
    throw Error(ErrorCode::internal, "explain_recording: " + std::to_string(window_starts_s.size()) +
                                         " window starts for " + std::to_string(windows) + " windows");
  RecordingExplainer explainer(model, method, std::vector<ExplainTarget>(targets.begin(), targets.end()), cancel);
  std::size_t at = 0;
  for (const auto& b : batches) {
    explainer.add(b, window_starts_s.subspan(at, b.windows.size()));
    at += b.windows.size();
  }
  return explainer.finish(duration_s);
}

}  // namespace soundlens
