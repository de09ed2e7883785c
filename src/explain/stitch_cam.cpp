#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "explain/stitch_cam.h"

namespace soundlens {

CamStitcher::CamStitcher(double seconds_per_column) : seconds_per_column_(seconds_per_column) {
  if (!(seconds_per_column > 0)) throw Error(ErrorCode::internal, "stitch_cam: no windows or mismatched placements");
}

void CamStitcher::add(const CamGrid& grid, double start_s) {
  if (rows_ == 0) rows_ = grid.rows;
  if (grid.rows != rows_ || grid.rows < 1 || grid.cols < 1)
    throw Error(ErrorCode::internal, "stitch_cam: grid shapes differ");
  const double spc = seconds_per_column_;
  const double first = start_s, last = first + grid.cols * spc;
  // Only the columns whose centre can lie in [first, last) (one spare on each side).
  const int from = std::max(0, int(std::floor(first / spc - 0.5)) - 1);
  const int to = std::max(from, int(std::ceil(last / spc)) + 1);
  const auto rows = std::size_t(rows_);
  if (by_column_.size() < std::size_t(to) * rows) by_column_.resize(std::size_t(to) * rows, 0.0f);
  for (int col = from; col < to; ++col) {
    const double t = (col + 0.5) * spc;
    if (t < first || t >= last) continue;
    // Position in the window's own cell coordinates (cell centres at integers).
    const double u = std::clamp((t - first) / spc - 0.5, 0.0, double(grid.cols - 1));
    const int c0 = int(std::floor(u)), c1 = std::min(c0 + 1, grid.cols - 1);
    const float f = float(u - c0);
    float* out = by_column_.data() + std::size_t(col) * rows;
    for (int row = 0; row < rows_; ++row) {
      const float v = grid.values[std::size_t(row) * grid.cols + c0] * (1 - f) +
                      grid.values[std::size_t(row) * grid.cols + c1] * f;
      out[row] = std::max(out[row], v);
    }
  }
}

CamMap CamStitcher::finish(double duration_s) {
  if (rows_ == 0) throw Error(ErrorCode::internal, "stitch_cam: no windows or mismatched placements");
  CamMap map;
  map.seconds_per_column = seconds_per_column_;
  map.rows = rows_;
  map.cols = std::max(1, int(std::ceil(duration_s / seconds_per_column_ - 1e-9)));
  map.values.assign(std::size_t(map.rows) * map.cols, 0.0f);
  const int held = int(by_column_.size() / std::size_t(rows_));
  for (int col = 0; col < std::min(held, map.cols); ++col)
    for (int row = 0; row < rows_; ++row)
      map.values[std::size_t(row) * map.cols + col] = by_column_[std::size_t(col) * rows_ + row];
  by_column_ = {};
  const float peak = *std::max_element(map.values.begin(), map.values.end());
  if (peak > 0)
    for (auto& v : map.values) v /= peak;
  return map;
}

CamMap stitch_cam(std::span<const CamGrid> windows, std::span<const CamPlacement> placements,
                  double seconds_per_column, double duration_s) {
  if (windows.empty() || windows.size() != placements.size() || seconds_per_column <= 0)
    throw Error(ErrorCode::internal, "stitch_cam: no windows or mismatched placements");
  CamStitcher stitcher(seconds_per_column);
  for (std::size_t w = 0; w < windows.size(); ++w) stitcher.add(windows[w], placements[w].start_s);
  return stitcher.finish(duration_s);
}

}  // namespace soundlens
