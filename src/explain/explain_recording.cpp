#include <algorithm>
#include <cmath>

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

}  // namespace

std::vector<CamMap> explain_recording(const Model& model, const ExplanationMethod& method,
                                      std::span<const WindowBatch> batches, std::span<const double> window_starts_s,
                                      std::span<const ExplainTarget> targets, double duration_s) {
  std::vector<std::vector<CamGrid>> grids(targets.size());
  for (const auto& b : batches) {
    if (b.pass == nullptr || b.windows.size() != size_t(b.pass->windows()))
      throw Error(ErrorCode::internal, "explain_recording: a batch's windows and pass differ");
    auto per_target = method.explain(model, *b.pass, b.windows, targets);
    for (size_t t = 0; t < targets.size(); ++t)
      for (auto& g : per_target[t]) grids[t].push_back(std::move(g));
  }
  std::vector<CamPlacement> placements;
  for (double s : window_starts_s) placements.push_back({s});
  const auto& fe = model.frontend();
  const double seconds_per_frame = double(fe.hop_length()) / fe.sample_rate();
  const auto band_edges = fe.band_edges_hz();
  const auto layers = method.layers(model.info());
  std::string joined;
  for (const auto& l : layers) joined += (joined.empty() ? "" : ", ") + l;

  std::vector<CamMap> maps;
  for (size_t t = 0; t < targets.size(); ++t) {
    if (grids[t].size() != placements.size())
      throw Error(ErrorCode::internal, "explain_recording: " + std::to_string(placements.size()) +
                                           " window starts for " + std::to_string(grids[t].size()) + " windows");
    const auto& first = grids[t].front();
    auto map = stitch_cam(grids[t], placements, first.frames_per_column * seconds_per_frame, duration_s);
    map.class_index = targets[t].class_index;
    map.contrast_index = targets[t].contrast_index;
    map.method = method.name();
    map.layers = layers;
    map.layer = joined;
    map.score = score_text(targets[t]);
    map.frames_per_column = first.frames_per_column;
    map.mel_bins_per_row = first.mel_bins_per_row;
    map.row_edges_hz = row_edges(band_edges, map.rows, map.mel_bins_per_row);
    for (const auto& g : grids[t])
      if (g.completeness_error)
        map.completeness_error = std::max(map.completeness_error.value_or(0.0), *g.completeness_error);
    maps.push_back(std::move(map));
  }
  return maps;
}

}  // namespace soundlens
