#include "explain/map_cells.h"

#include <cmath>
#include <string>

#include "core/error.h"

namespace soundlens {

MapCells map_cells(const CamMap& map, int n_mels, double seconds_per_frame) {
  auto fail = [](const std::string& what) { throw Error(ErrorCode::bad_request, "explanation map: " + what); };
  if (map.rows < 1 || map.cols < 1) fail("no cells");
  if (map.values.size() != std::size_t(map.rows) * std::size_t(map.cols))
    fail(std::to_string(map.values.size()) + " values for " + std::to_string(map.rows) + " x " +
         std::to_string(map.cols) + " cells");
  for (float v : map.values)
    if (!std::isfinite(v)) fail("a value is not finite");
  MapCells cells;
  cells.rows = map.rows;
  cells.cols = map.cols;
  cells.frames_per_column = map.frames_per_column;
  if (cells.frames_per_column <= 0 && map.seconds_per_column > 0 && seconds_per_frame > 0)
    cells.frames_per_column = int(std::lround(map.seconds_per_column / seconds_per_frame));
  if (cells.frames_per_column < 1) fail("frames per column unknown");
  const double per_row = map.mel_bins_per_row > 0 ? map.mel_bins_per_row : double(n_mels) / map.rows;
  if (std::abs(per_row * map.rows - n_mels) >= 0.5)
    fail(std::to_string(map.rows) + " rows of " + std::to_string(per_row) + " mel bins do not cover " +
         std::to_string(n_mels) + " mel bins");
  cells.row_first_mel.resize(map.rows + 1);
  // Rounded edges, so that rows of a fractional number of bins still tile the bins exactly.
  for (int r = 0; r < map.rows; ++r) cells.row_first_mel[r] = int(std::floor(r * per_row + 0.5));
  cells.row_first_mel[map.rows] = n_mels;
  return cells;
}

}  // namespace soundlens
