#pragma once
// Internal to the render stage: the chart of chart.h drawn onto any Cairo
// context (a PNG's image surface, or a PDF page as vector graphics).
#include <cairo.h>

#include "render/chart.h"

namespace soundlens::render {

// Draws the chart into the box (0, 0, width, height) of the context's user
// space. Error(bad_request) as chart_png.
void draw_chart(cairo_t* cr, const ChartSpec& spec, double width, double height);

}  // namespace soundlens::render
