#pragma once
// Internal to the render stage: turns the spectrogram and the Grad-CAM map
// into the plot's pixels. Free of Cairo; it writes 0xAARRGGBB words into any
// buffer. The cost is bounded by the number of pixels plus one pass over the
// input, so an hour-long recording never allocates per frame.
#include <cstdint>
#include <vector>

#include "explain/cam_map.h"
#include "features/mel_spectrogram.h"
#include "render/colormap.h"

namespace soundlens::render {

// Input reduced to one value per (input row, pixel column).
struct ColumnGrid {
  int rows = 0, width = 0;
  std::vector<float> values;  // rows * width, row-major
  const float* row(int r) const { return values.data() + std::size_t(r) * width; }
};

// Mean log-mel value of the frames each pixel column covers (or linear
// interpolation between frame centres when there are fewer frames than
// columns). Non-finite inputs are skipped; a column with none left is NaN.
ColumnGrid spectrogram_columns(const MelSpectrogram& spec, int width);

// Grad-CAM relevance per (cell row, pixel column), for a plot spanning
// duration_s. Where a pixel column spans several cells it takes their
// maximum, so a short relevant moment in an hour-long file stays visible;
// otherwise it interpolates between cell centres. Columns past the map's end
// hold -1 (nothing to overlay); cells past the plot's end are never read.
ColumnGrid cam_columns(const CamMap& cam, double duration_s, int width);

struct ValueRange {
  float lo = 0, hi = 1;
};

// Colour limits for the spectrogram: the 1st percentile to the maximum of the
// columns as drawn, so a few silent (floor-valued) frames do not wash out the
// contrast of everything else.
ValueRange display_range(const ColumnGrid& spectrogram);

// Opacity of the heatmap at a relevance value: faded in over the lowest
// quarter, so irrelevant regions leave the spectrogram visible beneath.
inline float overlay_alpha_for(float relevance, float max_alpha) {
  const float ramp = relevance / 0.25f;
  return max_alpha * (ramp < 0.f ? 0.f : (ramp > 1.f ? 1.f : ramp));
}

struct PixelBuffer {
  std::uint32_t* pixels = nullptr;
  int width = 0, height = 0;
  int stride_words = 0;  // uint32 words per row
};

struct Overlay {
  const ColumnGrid* cam = nullptr;  // from cam_columns, same width as the plot
  double mel_bins_per_row = 1;
  float max_alpha = 0.55f;
};

// Fills `out` (the plot area, top row = highest mel bin). spectrogram.width
// must equal out.width. `overlay` may be null.
void paint_plot(const ColumnGrid& spectrogram, ValueRange range, const Colormap& base,
                const Overlay* overlay, PixelBuffer out);

// The colour bar, 1 at the top. With an overlay it shows the heatmap as it
// appears over a mid-level spectrogram, so the bar matches the plot.
void paint_colorbar(const Colormap& base, const Overlay* overlay, PixelBuffer out);

}  // namespace soundlens::render
