#include "render/chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/error.h"
#include "render/cairo_handles.h"
#include "render/chart_draw.h"
#include "render/png_encode.h"

namespace soundlens {
namespace {

using render::Align;

// Distinct, colour-blind-safe (Okabe and Ito).
constexpr double kPalette[][3] = {{0.00, 0.45, 0.70}, {0.90, 0.62, 0.00}, {0.00, 0.62, 0.45}, {0.80, 0.47, 0.65},
                                  {0.34, 0.71, 0.91}, {0.84, 0.37, 0.00}, {0.94, 0.89, 0.26}, {0.2, 0.2, 0.2}};

}  // namespace

void render::draw_chart(cairo_t* cr, const ChartSpec& spec, double width, double height) {
  const std::size_t n = spec.positions.size();
  if (n == 0) throw Error(ErrorCode::bad_request, "a chart needs at least one position");
  for (const auto& s : spec.series)
    if (s.y.size() != n) throw Error(ErrorCode::bad_request, "the series '" + s.name + "' does not have one value per position");
  cairo_save(cr);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_rectangle(cr, 0, 0, width, height);
  cairo_fill(cr);

  const double top = 50 + 18.0 * double(spec.notes.size()), left = 70, right = 180, bottom = 150;
  const double pw = width - left - right, ph = height - top - bottom;
  cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
  render::set_font(cr, 16, true);
  render::draw_text(cr, spec.title, width / 2.0, 22, Align::centre, Align::centre);
  render::set_font(cr, 12);
  for (std::size_t i = 0; i < spec.notes.size(); ++i)
    render::draw_text(cr, spec.notes[i], width / 2.0, 44 + 18.0 * double(i), Align::centre, Align::centre);

  auto x_of = [&](double i) { return left + pw * (n == 1 ? 0.5 : (i + 0.5) / double(n)); };
  auto y_of = [&](double v) { return top + ph * (1 - std::clamp(v, 0.0, 1.0)); };
  // Grid and value axis.
  for (int t = 0; t <= 10; t += 2) {
    const double y = y_of(t / 10.0);
    cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
    cairo_set_line_width(cr, 1);
    cairo_move_to(cr, left, y);
    cairo_line_to(cr, left + pw, y);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    char text[8];
    std::snprintf(text, sizeof text, "%.1f", t / 10.0);
    render::draw_text(cr, text, left - 8, y, Align::end, Align::centre);
  }
  render::draw_text_vertical(cr, spec.y_label, 18, top + ph / 2, Align::centre, Align::centre);
  render::draw_text(cr, spec.x_label, left + pw / 2, height - 16.0, Align::centre, Align::centre);
  // Position labels, turned when they would collide.
  double widest = 0;
  for (const auto& p : spec.positions) widest = std::max(widest, render::text_width(cr, p));
  const bool turned = widest > pw / double(n) - 4;
  for (std::size_t i = 0; i < n; ++i) {
    if (turned) {
      cairo_save(cr);
      cairo_translate(cr, x_of(double(i)), top + ph + 8);
      cairo_rotate(cr, -M_PI / 4);
      render::draw_text(cr, render::fit_text(cr, spec.positions[i], (bottom - 40) * 1.41), 0, 0, Align::end, Align::centre);
      cairo_restore(cr);
    } else {
      render::draw_text(cr, spec.positions[i], x_of(double(i)), top + ph + 14, Align::centre, Align::centre);
    }
  }
  cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
  cairo_rectangle(cr, left, top, pw, ph);
  cairo_stroke(cr);

  const double dash[] = {6, 4};
  if (spec.diagonal) {
    cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
    cairo_set_dash(cr, dash, 2, 0);
    cairo_move_to(cr, left, y_of(0));
    cairo_line_to(cr, left + pw, y_of(1));
    cairo_stroke(cr);
    cairo_set_dash(cr, nullptr, 0, 0);
  }
  if (spec.reference) {
    cairo_set_source_rgb(cr, 0.6, 0.2, 0.2);
    cairo_set_dash(cr, dash, 2, 0);
    cairo_move_to(cr, left, y_of(*spec.reference));
    cairo_line_to(cr, left + pw, y_of(*spec.reference));
    cairo_stroke(cr);
    cairo_set_dash(cr, nullptr, 0, 0);
  }
  const double bar = pw / double(n) * 0.8 / double(std::max<std::size_t>(1, spec.series.size()));
  for (std::size_t s = 0; s < spec.series.size(); ++s) {
    const auto& c = kPalette[s % 8];
    const auto& series = spec.series[s];
    cairo_set_source_rgb(cr, c[0], c[1], c[2]);
    cairo_set_line_width(cr, 2.5);
    bool drawing = false;
    for (std::size_t i = 0; i < n; ++i) {
      const double v = series.y[i];
      if (!std::isfinite(v)) {
        drawing = false;
        continue;
      }
      const double x = x_of(double(i));
      if (series.bars) {
        const double x0 = x - pw / double(n) * 0.4 + bar * double(s);
        cairo_rectangle(cr, x0, y_of(v), bar * 0.9, y_of(0) - y_of(v));
        cairo_fill(cr);
        continue;
      }
      if (drawing) cairo_line_to(cr, x, y_of(v));
      else cairo_move_to(cr, x, y_of(v));
      drawing = true;
    }
    if (!series.bars) cairo_stroke(cr);
    for (std::size_t i = 0; i < n && !series.bars; ++i)
      if (std::isfinite(series.y[i])) {
        cairo_arc(cr, x_of(double(i)), y_of(series.y[i]), 3.5, 0, 2 * M_PI);
        cairo_fill(cr);
      }
    // Legend.
    const double ly = top + 10 + 22.0 * double(s);
    cairo_rectangle(cr, left + pw + 16, ly - 6, 14, 12);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    render::draw_text(cr, render::fit_text(cr, series.name, right - 40), left + pw + 36, ly, Align::start, Align::centre);
  }
  cairo_restore(cr);
}

std::vector<std::uint8_t> chart_png(const ChartSpec& spec, int width, int height) {
  auto surface = render::make_image_surface(width, height);
  auto context = render::make_context(surface.get());
  render::draw_chart(context.get(), spec, width, height);
  return render::encode_png(surface.get());
}

}  // namespace soundlens
