#include "render/colormap.h"

#include <stdexcept>
#include <vector>

namespace soundlens::render {

Colormap::Colormap(std::initializer_list<ColorStop> stops) {
  const std::vector<ColorStop> s(stops);
  if (s.size() < 2 || s.front().at != 0.f || s.back().at != 1.f)
    throw std::logic_error("colormap needs stops spanning [0, 1]");
  std::size_t seg = 0;
  for (int i = 0; i < kEntries; ++i) {
    const float v = float(i) / (kEntries - 1);
    while (seg + 2 < s.size() && v > s[seg + 1].at) ++seg;
    const ColorStop& a = s[seg];
    const ColorStop& b = s[seg + 1];
    const float t = b.at > a.at ? (v - a.at) / (b.at - a.at) : 0.f;
    table_[i] = mix(a.rgb, b.rgb, t < 0.f ? 0.f : (t > 1.f ? 1.f : t));
  }
}

// Function-local statics: built once, thread-safe, read-only afterwards.
const Colormap& viridis_like() {
  static const Colormap map{{0.00f, {0.267f, 0.005f, 0.329f}},
                            {0.25f, {0.229f, 0.322f, 0.546f}},
                            {0.50f, {0.128f, 0.567f, 0.551f}},
                            {0.75f, {0.369f, 0.789f, 0.383f}},
                            {1.00f, {0.993f, 0.906f, 0.144f}}};
  return map;
}

const Colormap& slate() {
  static const Colormap map{{0.00f, {0.035f, 0.045f, 0.085f}},
                            {0.35f, {0.200f, 0.240f, 0.330f}},
                            {0.70f, {0.500f, 0.550f, 0.630f}},
                            {1.00f, {0.900f, 0.920f, 0.960f}}};
  return map;
}

const Colormap& jet_like() {
  static const Colormap map{{0.000f, {0.00f, 0.00f, 0.55f}},
                            {0.125f, {0.00f, 0.00f, 1.00f}},
                            {0.375f, {0.00f, 1.00f, 1.00f}},
                            {0.625f, {1.00f, 1.00f, 0.00f}},
                            {0.875f, {1.00f, 0.00f, 0.00f}},
                            {1.000f, {0.60f, 0.00f, 0.00f}}};
  return map;
}

}  // namespace soundlens::render
