#pragma once
// Explain stage: Grad-CAM (Selvaraju et al. 2017) on the model's last conv
// block, from the feature maps of one backbone pass.
#include <span>
#include <vector>

#include "explain/cam_map.h"
#include "model/model.h"

namespace soundlens {

// One window's raw map at feature-map resolution: ReLU(sum_k w_k A_k), not
// yet normalised. Row 0 is the lowest frequency.
struct CamGrid {
  int rows = 0, cols = 0;
  std::vector<float> values;
};

// For each class: one grid per window of the pass. The score differentiated
// is the class logit; channel weights are the spatial mean of its gradient.
std::vector<std::vector<CamGrid>> grad_cam(const ForwardPass& pass, std::span<const int> classes);

// Joins the windows' grids into one map over the whole recording: each output
// column takes the maximum over the windows that cover it (linear
// interpolation between a window's cells), then the map is scaled to [0, 1].
struct CamPlacement {
  double start_s = 0;        // where the window starts in the recording
};
CamMap stitch_cam(std::span<const CamGrid> windows, std::span<const CamPlacement> placements,
                  double seconds_per_column, double duration_s);

}  // namespace soundlens
