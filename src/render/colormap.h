#pragma once
// Internal to the render stage. Colormaps are defined by a handful of control
// points and expanded once into lookup tables, so a pixel costs one index.
#include <array>
#include <cstdint>
#include <initializer_list>

namespace soundlens::render {

struct Rgb {
  float r = 0, g = 0, b = 0;  // each in [0, 1]
};

struct ColorStop {
  float at;  // position in [0, 1], increasing along the list
  Rgb rgb;
};

class Colormap {
 public:
  static constexpr int kEntries = 256;

  Colormap(std::initializer_list<ColorStop> stops);

  // v is clamped to [0, 1]; NaN maps to the low end.
  const Rgb& operator()(float v) const { return table_[index(v)]; }
  static int index(float v) {
    if (!(v > 0.f)) return 0;
    if (v >= 1.f) return kEntries - 1;
    return int(v * (kEntries - 1) + 0.5f);
  }

 private:
  std::array<Rgb, kEntries> table_{};
};

// Perceptually ordered dark-violet -> teal -> yellow, for the spectrogram
// when it is shown alone.
const Colormap& viridis_like();
// Desaturated navy -> grey-blue -> near-white, for the spectrogram under the
// heatmap: it carries no reds, so every warm pixel belongs to the overlay.
const Colormap& slate();
// Blue -> cyan -> yellow -> red, the convention Grad-CAM figures use.
const Colormap& jet_like();

// An opaque pixel as Cairo's ARGB32 and RGB24 image surfaces store it
// (native-endian word; RGB24 ignores the top byte).
inline std::uint32_t pack_argb(const Rgb& c) {
  auto byte = [](float x) { return std::uint32_t(x * 255.f + 0.5f); };
  return 0xFF000000u | byte(c.r) << 16 | byte(c.g) << 8 | byte(c.b);
}

inline Rgb mix(const Rgb& under, const Rgb& over, float alpha) {
  return {under.r + (over.r - under.r) * alpha, under.g + (over.g - under.g) * alpha,
          under.b + (over.b - under.b) * alpha};
}

}  // namespace soundlens::render
