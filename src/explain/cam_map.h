#pragma once
// A Grad-CAM map: plain values, so that render and storage can use it
// without depending on the explain stage.
#include <string>
#include <vector>

namespace soundlens {

struct CamMap {
  int class_index = -1;
  std::string layer;              // e.g. "features.16" (the last conv block)
  std::string score = "logit";    // the differentiated score: the class logit, before the sigmoid
  int rows = 0;                   // frequency cells, lowest first
  int cols = 0;                   // time cells
  double seconds_per_column = 0;  // time covered by one cell
  double mel_bins_per_row = 0;    // mel bins covered by one cell
  int contrast_index = -1;
  int frames_per_column = 0;
  std::vector<float> values;      // rows * cols, row-major, scaled to [0, 1]
  float at(int row, int col) const { return values[std::size_t(row) * cols + col]; }
};

}  // namespace soundlens
