#include "render/layout.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.h"

namespace soundlens::render {
namespace {

// An hour-long figure for print is ~6000 px wide; beyond this a request is a
// mistake or an attempt to exhaust memory.
constexpr int kMaxSide = 8192;
constexpr int kMinPlotSide = 32;

int px(double v) { return int(std::lround(v)); }

}  // namespace

Layout compute_layout(int width, int height) {
  if (width <= 0 || height <= 0 || width > kMaxSide || height > kMaxSide)
    throw Error(ErrorCode::bad_request, "figure size " + std::to_string(width) + "x" +
                                            std::to_string(height) + " is outside 1.." +
                                            std::to_string(kMaxSide) + " pixels per side");
  Layout l;
  l.width = width;
  l.height = height;
  l.scale = std::clamp(std::min(width / 1200.0, height / 520.0), 0.7, 3.0);
  const double s = l.scale;
  l.font = {16 * s, 13 * s, 11.5 * s};
  l.tick_length = 5 * s;

  const int top = px(40 * s);                          // title band
  const int left = px(74 * s);                         // tick labels + rotated axis label
  const int bottom = px(54 * s);                       // tick labels + axis label
  const int bar_gap = px(16 * s), bar_w = px(16 * s);  // plot .. bar
  const int right = bar_gap + bar_w + px(74 * s);      // bar ticks + rotated bar label

  l.title = {0, 0, width, top};
  l.plot = {left, top + px(6 * s), width - left - right, height - top - px(6 * s) - bottom};
  l.colorbar = {l.plot.right() + bar_gap, l.plot.y, bar_w, l.plot.h};
  if (l.plot.w < kMinPlotSide || l.plot.h < kMinPlotSide)
    throw Error(ErrorCode::bad_request, "figure size " + std::to_string(width) + "x" +
                                            std::to_string(height) +
                                            " is too small to hold a plot with axes");
  return l;
}

}  // namespace soundlens::render
