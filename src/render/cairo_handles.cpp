#include "render/cairo_handles.h"

#include <cmath>
#include <numbers>

#include "core/error.h"

namespace soundlens::render {
namespace {

double offset(Align a, double extent) {
  switch (a) {
    case Align::start: return 0;
    case Align::centre: return -extent / 2;
    case Align::end: return -extent;
  }
  return 0;
}

// Horizontal alignment along the text's advance, vertical across the font's
// ascent+descent; returns the baseline origin relative to the anchor.
void origin_for(cairo_t* cr, const std::string& text, Align h, Align v, double& dx, double& dy) {
  cairo_font_extents_t fe;
  cairo_font_extents(cr, &fe);
  dx = offset(h, text_width(cr, text));
  dy = fe.ascent + offset(v, fe.ascent + fe.descent);
}

}  // namespace

Surface make_image_surface(int width, int height) {
  // The figure is opaque; RGB24 says so and keeps an alpha channel out of the PNG.
  Surface s(cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height));
  if (cairo_surface_status(s.get()) != CAIRO_STATUS_SUCCESS)
    throw Error(ErrorCode::internal, std::string("cannot create a ") + std::to_string(width) + "x" +
                                         std::to_string(height) + " image: " +
                                         cairo_status_to_string(cairo_surface_status(s.get())));
  return s;
}

Context make_context(cairo_surface_t* surface) {
  Context c(cairo_create(surface));
  if (cairo_status(c.get()) != CAIRO_STATUS_SUCCESS)
    throw Error(ErrorCode::internal,
                std::string("cannot draw: ") + cairo_status_to_string(cairo_status(c.get())));
  return c;
}

void set_font(cairo_t* cr, double size, bool bold) {
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, size);
}

double text_width(cairo_t* cr, const std::string& text) {
  cairo_text_extents_t te;
  cairo_text_extents(cr, text.c_str(), &te);
  return te.x_advance;
}

void draw_text(cairo_t* cr, const std::string& text, double x, double y, Align h, Align v) {
  double dx, dy;
  origin_for(cr, text, h, v, dx, dy);
  cairo_move_to(cr, x + dx, y + dy);
  cairo_show_text(cr, text.c_str());
}

void draw_text_vertical(cairo_t* cr, const std::string& text, double x, double y, Align h,
                        Align v) {
  cairo_save(cr);
  cairo_translate(cr, x, y);
  cairo_rotate(cr, -std::numbers::pi / 2);
  draw_text(cr, text, 0, 0, h, v);
  cairo_restore(cr);
}

std::string fit_text(cairo_t* cr, const std::string& text, double max_width) {
  if (text_width(cr, text) <= max_width) return text;
  std::string s = text;
  while (!s.empty()) {
    // Drop one whole code point, never half of a UTF-8 sequence.
    while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();
    if (!s.empty()) s.pop_back();
    if (text_width(cr, s + "\u2026") <= max_width) return s + "\u2026";
  }
  return "";
}

}  // namespace soundlens::render
