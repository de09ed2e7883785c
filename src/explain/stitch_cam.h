#pragma once
// Joins the windows' grids into one map over the whole recording.
#include <span>

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
// add() each window's grid in any order, then finish().
class CamStitcher {
 public:
  CamStitcher(double seconds_per_column, double duration_s);
  void add(const CamGrid& grid, double start_s);
  CamMap finish();

 private:
  double seconds_per_column_;
  CamMap map_;
  bool started_ = false;
};

CamMap stitch_cam(std::span<const CamGrid> windows, std::span<const CamPlacement> placements,
                  double seconds_per_column, double duration_s);

}  // namespace soundlens
