#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "events/detect.h"

namespace soundlens {

std::vector<float> ClassProfile::time_profile() const {
  std::vector<float> out(std::size_t(std::max(cols, 0)), 0.0f);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) out[std::size_t(c)] += cells[std::size_t(r) * cols + c];
  return out;
}

ClassProfile make_class_profile(const CamMap& cam, std::string label, std::vector<double> row_edges_hz, bool pinned) {
  ClassProfile p;
  p.index = cam.class_index;
  p.label = std::move(label);
  p.pinned = pinned;
  p.rows = cam.rows;
  p.cols = cam.cols;
  p.seconds_per_column = cam.seconds_per_column;
  p.cells = cam.values;
  p.row_edges_hz = std::move(row_edges_hz);
  return p;
}

std::vector<double> mel_row_edges_hz(std::span<const float> center_hz, double mel_bins_per_row, int rows) {
  const int bins = int(center_hz.size());
  if (bins < 2 || rows < 1 || !(mel_bins_per_row > 0) || rows * mel_bins_per_row > bins + 1e-9)
    throw Error(ErrorCode::internal, "mel_row_edges_hz: the rows do not fit the mel bins");
  // The frequency at a fractional bin position, bin centres at integers.
  auto at = [&](double position) {
    if (position <= 0) return std::max(0.0, center_hz[0] - (0 - position) * (center_hz[1] - center_hz[0]));
    if (position >= bins - 1)
      return center_hz[bins - 1] + (position - (bins - 1)) * (center_hz[bins - 1] - center_hz[bins - 2]);
    const int i = int(std::floor(position));
    const double f = position - i;
    return center_hz[i] * (1 - f) + center_hz[i + 1] * f;
  };
  std::vector<double> edges;
  for (int r = 0; r <= rows; ++r) edges.push_back(at(r * mel_bins_per_row - 0.5));
  return edges;
}

std::vector<ClassProfile> profiles_from_analysis(const Analysis& analysis, std::span<const float> center_hz,
                                                 std::span<const int> pinned) {
  std::vector<ClassProfile> out;
  for (const auto& e : analysis.explanations) {
    const bool is_pinned = std::find(pinned.begin(), pinned.end(), e.target.index) != pinned.end();
    out.push_back(make_class_profile(e.cam, e.target.label,
                                     mel_row_edges_hz(center_hz, e.cam.mel_bins_per_row, e.cam.rows), is_pinned));
  }
  return out;
}

std::vector<int> event_classes(std::span<const TimelineWindow> timeline, std::span<const int> pinned,
                               const EventOptions& options) {
  std::vector<int> out(pinned.begin(), pinned.end());
  std::vector<std::pair<float, int>> peaks;  // (peak window probability, class)
  for (const auto& w : timeline) {
    peaks.resize(std::max(peaks.size(), w.probabilities.size()), {0.0f, 0});
    for (std::size_t c = 0; c < w.probabilities.size(); ++c)
      peaks[c] = {std::max(peaks[c].first, w.probabilities[c]), int(c)};
  }
  std::stable_sort(peaks.begin(), peaks.end(), [](auto a, auto b) { return a.first > b.first; });
  int added = 0;
  for (const auto& [peak, c] : peaks) {
    if (added >= options.max_classes || peak < options.window_high) break;
    if (std::find(out.begin(), out.end(), c) != out.end()) continue;
    out.push_back(c);
    ++added;
  }
  return out;
}

}  // namespace soundlens
