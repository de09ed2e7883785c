#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "explain/stitch_cam.h"

namespace soundlens {

CamStitcher::CamStitcher(double seconds_per_column, double duration_s) : seconds_per_column_(seconds_per_column) {
  if (!(seconds_per_column > 0)) throw Error(ErrorCode::internal, "stitch_cam: no windows or mismatched placements");
  map_.cols = std::max(1, int(std::ceil(duration_s / seconds_per_column - 1e-9)));
  map_.seconds_per_column = seconds_per_column;
}

void CamStitcher::add(const CamGrid& grid, double start_s) {
  if (!started_) {
    started_ = true;
    map_.rows = grid.rows;
    map_.values.assign(std::size_t(map_.rows) * map_.cols, 0.0f);
  }
  if (grid.rows != map_.rows || grid.cols < 1) throw Error(ErrorCode::internal, "stitch_cam: grid shapes differ");
  const double spc = seconds_per_column_;
  const double first = start_s, last = first + grid.cols * spc;
  // Only the columns whose centre can lie in [first, last) (one spare on each side).
  const int from = std::max(0, int(std::floor(first / spc - 0.5)) - 1);
  const int to = std::min(map_.cols, int(std::ceil(last / spc)) + 1);
  for (int col = from; col < to; ++col) {
    const double t = (col + 0.5) * spc;
    if (t < first || t >= last) continue;
    // Position in the window's own cell coordinates (cell centres at integers).
    const double u = std::clamp((t - first) / spc - 0.5, 0.0, double(grid.cols - 1));
    const int c0 = int(std::floor(u)), c1 = std::min(c0 + 1, grid.cols - 1);
    const float f = float(u - c0);
    for (int row = 0; row < map_.rows; ++row) {
      const float v = grid.values[std::size_t(row) * grid.cols + c0] * (1 - f) +
                      grid.values[std::size_t(row) * grid.cols + c1] * f;
      float& out = map_.values[std::size_t(row) * map_.cols + col];
      out = std::max(out, v);
    }
  }
}

CamMap CamStitcher::finish() {
  if (!started_) throw Error(ErrorCode::internal, "stitch_cam: no windows or mismatched placements");
  const float peak = *std::max_element(map_.values.begin(), map_.values.end());
  if (peak > 0)
    for (auto& v : map_.values) v /= peak;
  return std::move(map_);
}

CamMap stitch_cam(std::span<const CamGrid> windows, std::span<const CamPlacement> placements,
                  double seconds_per_column, double duration_s) {
  if (windows.empty() || windows.size() != placements.size() || seconds_per_column <= 0)
    throw Error(ErrorCode::internal, "stitch_cam: no windows or mismatched placements");
  CamStitcher stitcher(seconds_per_column, duration_s);
  for (std::size_t w = 0; w < windows.size(); ++w) stitcher.add(windows[w], placements[w].start_s);
  return stitcher.finish();
}

}  // namespace soundlens
