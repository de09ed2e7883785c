#pragma once
// Internal to the render stage: the plot's frame, its time and frequency
// axes, the colour bar's scale and the title, drawn with Cairo around the
// already painted pixels.
#include <cairo.h>

#include <span>
#include <string>

#include "render/layout.h"

namespace soundlens::render {

void draw_plot_frame(cairo_t* cr, const Rect& r);

// Ticks in seconds (m:ss beyond two minutes), spaced so labels never touch.
void draw_time_axis(cairo_t* cr, const Layout& l, double duration_s);

// Hz ticks placed where those frequencies fall among the mel bins, so the
// axis is mel-spaced exactly as the image is.
void draw_frequency_axis(cairo_t* cr, const Layout& l, std::span<const float> center_hz);

// Ticks for values lo..hi along the colour bar (lo at the bottom) and its label.
void draw_colorbar_scale(cairo_t* cr, const Layout& l, double lo, double hi,
                         const std::string& label);

void draw_title(cairo_t* cr, const Layout& l, const std::string& title);

}  // namespace soundlens::render
