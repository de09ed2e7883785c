#pragma once
// Joins the windows' grids into one map over the whole recording.
#include <span>
#include <vector>

#include "explain/cam_grid.h"
#include "explain/cam_map.h"

namespace soundlens {

struct CamPlacement {
  double start_s = 0;  // where the window starts in the recording
};

// Each output column takes the maximum over the windows that cover it (linear
// interpolation between a window's cells), then the map is scaled to [0, 1].
// Only rows, cols, seconds_per_column and values are filled.
// The same, one window at a time (bounded memory over long recordings):
// add() each window's grid in any order, then finish() with the recording's
// length, which a stream knows only at its end.
class CamStitcher {
 public:
  explicit CamStitcher(double seconds_per_column);
  void add(const CamGrid& grid, double start_s);
  CamMap finish(double duration_s);

 private:
  double seconds_per_column_;
  int rows_ = 0;
  std::vector<float> by_column_;  // columns * rows: grows as windows arrive
};

CamMap stitch_cam(std::span<const CamGrid> windows, std::span<const CamPlacement> placements,
                  double seconds_per_column, double duration_s);

}  // namespace soundlens
