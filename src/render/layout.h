#pragma once
// Internal to the render stage: where each part of the figure goes. Kept free
// of Cairo so that tests can find the plot area in a decoded PNG.
namespace soundlens::render {

struct Rect {
  int x = 0, y = 0, w = 0, h = 0;  // pixels, y down
  int right() const { return x + w; }
  int bottom() const { return y + h; }
};

struct FontSizes {
  double title, axis_label, tick_label;
};

struct Layout {
  int width = 0, height = 0;
  double scale = 1;  // 1 at the default 1200x520; margins and fonts follow it
  FontSizes font{};
  double tick_length = 0;
  Rect title;     // band at the top
  Rect plot;      // the spectrogram image, exactly
  Rect colorbar;  // the bar itself, without its ticks and label
};

// Throws soundlens::Error(bad_request) when the size is out of range or too
// small to leave a plot area.
Layout compute_layout(int width, int height);

}  // namespace soundlens::render
