#pragma once
// Internal to the render stage (never included by a public header): owning
// handles for Cairo objects and the few text helpers every part of the figure
// uses.
#include <cairo.h>

#include <memory>
#include <string>

namespace soundlens::render {

struct SurfaceDeleter {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct ContextDeleter {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};
using Surface = std::unique_ptr<cairo_surface_t, SurfaceDeleter>;
using Context = std::unique_ptr<cairo_t, ContextDeleter>;

// Throws soundlens::Error(internal) if Cairo could not allocate it.
Surface make_image_surface(int width, int height);
Context make_context(cairo_surface_t* surface);

enum class Align { start, centre, end };

void set_font(cairo_t* cr, double size, bool bold = false);
double text_width(cairo_t* cr, const std::string& text);

// Draws text with its box aligned to (x, y): horizontally by `h`, vertically
// by `v` against the font's ascent/descent (not the glyphs' ink), so labels
// on one axis share a baseline.
void draw_text(cairo_t* cr, const std::string& text, double x, double y, Align h, Align v);

// The same, rotated a quarter turn anticlockwise (reads bottom to top).
void draw_text_vertical(cairo_t* cr, const std::string& text, double x, double y, Align h,
                        Align v);

// Shortens text with an ellipsis until it fits max_width.
std::string fit_text(cairo_t* cr, const std::string& text, double max_width);

}  // namespace soundlens::render
