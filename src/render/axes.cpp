#include "render/axes.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "render/cairo_handles.h"
#include "render/ticks.h"

namespace soundlens::render {
namespace {

constexpr double kInk = 0.13;  // near-black: softer than pure black, still high contrast

// Lines one device pixel wide land on pixel centres to stay crisp.
double crisp(double v) { return std::floor(v) + 0.5; }

void stroke_line(cairo_t* cr, double x0, double y0, double x1, double y1) {
  cairo_move_to(cr, x0, y0);
  cairo_line_to(cr, x1, y1);
  cairo_stroke(cr);
}

double pad(const Layout& l) { return 3 * l.scale; }

double line_height(cairo_t* cr) {
  cairo_font_extents_t fe;
  cairo_font_extents(cr, &fe);
  return fe.ascent + fe.descent;
}

// The smallest candidate step whose labels keep at least two characters of
// air between them and whose ticks stay some distance apart.
double choose_time_step(cairo_t* cr, const Layout& l, double duration_s) {
  const std::vector<double> candidates = time_step_candidates(duration_s);
  const bool minutes = time_axis_uses_minutes(duration_s);
  const double min_gap = std::max(2 * l.font.tick_label, 60 * l.scale);
  for (double step : candidates) {
    const double px = step / duration_s * l.plot.w;
    // The widest label is the longest one, which is the last at this step.
    const double last = std::floor(duration_s / step + 1e-6) * step;
    const double label_w = std::max(text_width(cr, format_time(last, step, minutes)),
                                    text_width(cr, format_time(step, step, minutes)));
    if (px >= std::max(min_gap, label_w + 2 * l.font.tick_label)) return step;
  }
  return candidates.back();
}

}  // namespace

void draw_plot_frame(cairo_t* cr, const Rect& r) {
  cairo_set_source_rgb(cr, kInk, kInk, kInk);
  cairo_set_line_width(cr, 1);
  cairo_rectangle(cr, r.x - 0.5, r.y - 0.5, r.w + 1, r.h + 1);
  cairo_stroke(cr);
}

void draw_time_axis(cairo_t* cr, const Layout& l, double duration_s) {
  cairo_set_source_rgb(cr, kInk, kInk, kInk);
  cairo_set_line_width(cr, 1);
  set_font(cr, l.font.tick_label);
  const double step = choose_time_step(cr, l, duration_s);
  const double y0 = l.plot.bottom();
  for (const Tick& t : time_ticks(duration_s, step)) {
    const double x = crisp(l.plot.x + t.at / duration_s * l.plot.w - 0.5);
    stroke_line(cr, x, y0, x, y0 + l.tick_length);
    draw_text(cr, t.label, x, y0 + l.tick_length + pad(l), Align::centre, Align::start);
  }
  set_font(cr, l.font.axis_label);
  const std::string label = time_axis_uses_minutes(duration_s) ? "Time (m:ss)" : "Time (s)";
  draw_text(cr, label, l.plot.x + l.plot.w / 2.0, l.height - 2 * pad(l), Align::centre, Align::end);
}

void draw_frequency_axis(cairo_t* cr, const Layout& l, std::span<const float> center_hz) {
  cairo_set_source_rgb(cr, kInk, kInk, kInk);
  cairo_set_line_width(cr, 1);
  set_font(cr, l.font.tick_label);
  const double n = double(center_hz.size());
  const double min_gap = 1.6 * l.font.tick_label;
  std::vector<double> placed;  // pixel rows already labelled
  double widest = 0;
  for (double hz : frequency_tick_preference()) {
    const auto pos = mel_bin_position(center_hz, hz);
    if (!pos) continue;
    // Bin k spans [k, k+1) from the bottom edge; its centre is k + 0.5.
    const double y = l.plot.bottom() - (*pos + 0.5) / n * l.plot.h;
    const bool crowded = std::any_of(placed.begin(), placed.end(),
                                     [&](double p) { return std::fabs(p - y) < min_gap; });
    if (crowded) continue;
    placed.push_back(y);
    const double yc = crisp(y - 0.5);
    stroke_line(cr, l.plot.x - l.tick_length, yc, l.plot.x, yc);
    const std::string label = format_hz(hz);
    widest = std::max(widest, text_width(cr, label));
    draw_text(cr, label, l.plot.x - l.tick_length - pad(l), yc, Align::end, Align::centre);
  }
  set_font(cr, l.font.axis_label);
  // Beside the widest tick label, as matplotlib does, but never off the figure.
  const double x = std::max(l.plot.x - l.tick_length - widest - 3 * pad(l),
                            pad(l) + line_height(cr));
  draw_text_vertical(cr, "Frequency (Hz, mel scale)", x, l.plot.y + l.plot.h / 2.0, Align::centre,
                     Align::end);
}

void draw_colorbar_scale(cairo_t* cr, const Layout& l, double lo, double hi,
                         const std::string& label) {
  const Rect& bar = l.colorbar;
  draw_plot_frame(cr, bar);
  set_font(cr, l.font.tick_label);
  const int max_ticks = std::clamp(int(bar.h / (2.5 * l.font.tick_label)), 2, 7);
  double widest = 0;
  for (const Tick& t : value_ticks(lo, hi, max_ticks)) {
    const double y = crisp(bar.bottom() - (t.at - lo) / (hi - lo) * bar.h - 0.5);
    stroke_line(cr, bar.right(), y, bar.right() + l.tick_length, y);
    widest = std::max(widest, text_width(cr, t.label));
    draw_text(cr, t.label, bar.right() + l.tick_length + pad(l), y, Align::start, Align::centre);
  }
  set_font(cr, l.font.axis_label);
  const std::string fitted = fit_text(cr, label, bar.h);
  const double x = std::min(bar.right() + l.tick_length + widest + 3 * pad(l),
                            l.width - pad(l) - line_height(cr));
  draw_text_vertical(cr, fitted, x, bar.y + bar.h / 2.0, Align::centre, Align::start);
}

void draw_title(cairo_t* cr, const Layout& l, const std::string& title) {
  if (title.empty()) return;
  cairo_set_source_rgb(cr, kInk, kInk, kInk);
  set_font(cr, l.font.title, /*bold=*/true);
  const std::string fitted = fit_text(cr, title, l.width - 4 * l.font.title);
  draw_text(cr, fitted, l.width / 2.0, l.title.h / 2.0 + pad(l), Align::centre, Align::centre);
}

}  // namespace soundlens::render
