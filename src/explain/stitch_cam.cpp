#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "explain/stitch_cam.h"

namespace soundlens {

CamMap stitch_cam(std::span<const CamGrid> windows, std::span<const CamPlacement> placements,
                  double seconds_per_column, double duration_s) {
  if (windows.empty() || windows.size() != placements.size() || seconds_per_column <= 0)
    throw Error(ErrorCode::internal, "stitch_cam: no windows or mismatched placements");
  CamMap map;
  map.rows = windows.front().rows;
  map.cols = std::max(1, int(std::ceil(duration_s / seconds_per_column - 1e-9)));
  map.seconds_per_column = seconds_per_column;
  map.values.assign(std::size_t(map.rows) * map.cols, 0.0f);
  for (std::size_t w = 0; w < windows.size(); ++w) {
    const auto& grid = windows[w];
    if (grid.rows != map.rows || grid.cols < 1) throw Error(ErrorCode::internal, "stitch_cam: grid shapes differ");
    const double first = placements[w].start_s, last = first + grid.cols * seconds_per_column;
    for (int col = 0; col < map.cols; ++col) {
      const double t = (col + 0.5) * seconds_per_column;
      if (t < first || t >= last) continue;
      // Position in the window's own cell coordinates (cell centres at integers).
      const double u = std::clamp((t - first) / seconds_per_column - 0.5, 0.0, double(grid.cols - 1));
      const int c0 = int(std::floor(u)), c1 = std::min(c0 + 1, grid.cols - 1);
      const float f = float(u - c0);
      for (int row = 0; row < map.rows; ++row) {
        const float v = grid.values[std::size_t(row) * grid.cols + c0] * (1 - f) +
                        grid.values[std::size_t(row) * grid.cols + c1] * f;
        float& out = map.values[std::size_t(row) * map.cols + col];
        out = std::max(out, v);
      }
    }
  }
  const float peak = *std::max_element(map.values.begin(), map.values.end());
  if (peak > 0)
    for (auto& v : map.values) v /= peak;
  return map;
}

}  // namespace soundlens
