#pragma once
// An explanation map over a whole recording: plain values, so that render and
// storage can use it without depending on the explain stage.
#include <optional>
#include <string>
#include <vector>

namespace soundlens {

struct CamMap {
  int class_index = -1;
  int contrast_index = -1;          // >= 0: the map explains logit(class) - logit(contrast)
  std::string method = "gradcam";   // gradcam, gradcam++, layercam, integrated-gradients, occlusion
  std::vector<std::string> layers;  // the layers the method read, e.g. {"features.16"}; {"input"} for input methods
  std::string layer;                // layers joined by ", " (kept for older readers)
  std::string score = "logit";      // the explained score: the class logit (before the sigmoid), or
                                    // "logit(A) - logit(B)" for a contrast
  int rows = 0;                     // frequency cells, lowest first
  int cols = 0;                     // time cells
  double seconds_per_column = 0;    // time covered by one cell
  int frames_per_column = 0;        // input frames covered by one cell
  double mel_bins_per_row = 0;      // mel bins covered by one cell
  std::vector<double> row_edges_hz; // rows + 1 band edges, lowest first
  // Integrated gradients: |sum of attributions - (f(x) - f(baseline))| / |f(x) - f(baseline)|,
  // the worst window's.
  std::optional<double> completeness_error;
  std::vector<float> values;        // rows * cols, row-major, scaled to [0, 1]
  float at(int row, int col) const { return values[std::size_t(row) * cols + col]; }
};

}  // namespace soundlens
