#pragma once
// What an explanation method gives for one window: a raw grid at the method's
// own resolution, before stitching and scaling.
#include <optional>
#include <vector>

namespace soundlens {

// The score explained: logit(class_index), or logit(class_index) -
// logit(contrast_index) when contrast_index >= 0.
struct ExplainTarget {
  int class_index = -1;
  int contrast_index = -1;
};

struct CamGrid {
  int rows = 0, cols = 0;       // row 0 is the lowest frequency
  int frames_per_column = 1;    // input frames per cell
  double mel_bins_per_row = 1;  // mel bins per cell
  std::vector<float> values;    // rows * cols, >= 0, not normalised
  std::optional<double> completeness_error;  // integrated gradients only
};

}  // namespace soundlens
