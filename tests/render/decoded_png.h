#pragma once
// Decodes PNG bytes with Cairo so tests can inspect the pixels they produced.
#include <cstdint>
#include <vector>

#include "render/layout.h"

namespace soundlens::test {

struct Pixel {
  int r = 0, g = 0, b = 0;
  int luminance() const { return (2126 * r + 7152 * g + 722 * b) / 10000; }
  // A warm, red-dominated colour: the hot end of the heatmap. The spectrogram
  // colormaps never produce one (viridis' yellow has G about equal to R).
  bool is_heat() const { return r > g + 50 && r > b + 50; }
  bool is_background() const { return r > 245 && g > 245 && b > 245; }
};

class DecodedPng {
 public:
  // Fails the current test (and leaves width() == 0) if the bytes are not a PNG.
  explicit DecodedPng(const std::vector<std::uint8_t>& png);
  int width() const { return width_; }
  int height() const { return height_; }
  Pixel at(int x, int y) const;

  // Counts within a rectangle.
  int count_heat(const render::Rect& r) const;
  int count_non_background(const render::Rect& r) const;
  double mean_luminance(const render::Rect& r) const;

 private:
  int width_ = 0, height_ = 0;
  std::vector<std::uint32_t> argb_;
};

}  // namespace soundlens::test
