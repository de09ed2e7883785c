#include "render/pdf_pages.h"

#include <cairo-pdf.h>

#include <algorithm>
#include <cstdio>

#include "core/error.h"
#include "render/cairo_handles.h"

namespace soundlens::render {

std::string fmt(const char* pattern, double v) {
  char text[128];
  std::snprintf(text, sizeof text, pattern, v);
  return text;
}

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
  auto* out = static_cast<std::vector<std::uint8_t>*>(closure);
  out->insert(out->end(), data, data + length);
  return CAIRO_STATUS_SUCCESS;
}

void Pages::need(double height) {
  if (y_ + height > kPageH - kMargin) {
    cairo_show_page(cr_);
    y_ = kMargin;
  }
}

void Pages::heading(const std::string& text) {
  need(kHeading * 2 + kLine * 2);
  y_ += kHeading * 0.6;
  cairo_set_source_rgb(cr_, 0.1, 0.1, 0.1);
  set_font(cr_, kHeading, true);
  draw_text(cr_, text, kMargin, y_, Align::start, Align::start);
  y_ += kHeading * 1.5;
}

void Pages::row(const std::vector<std::string>& cells, const std::vector<double>& xs, bool bold) {
  need(kLine);
  cairo_set_source_rgb(cr_, 0.1, 0.1, 0.1);
  set_font(cr_, kBody, bold);
  for (std::size_t i = 0; i < cells.size() && i < xs.size(); ++i) {
    const double room = (i + 1 < xs.size() ? xs[i + 1] - 6 : kPageW - 2 * kMargin) - xs[i];
    // A long value (a hash) is set smaller before anything is cut.
    set_font(cr_, kBody, bold);
    const double width = text_width(cr_, cells[i]);
    if (width > room) set_font(cr_, std::max(6.5, kBody * room / width), bold);
    draw_text(cr_, fit_text(cr_, cells[i], room), kMargin + xs[i], y_, Align::start, Align::start);
  }
  y_ += kLine;
}

void Pages::paragraph(const std::string& text, bool bold) {
  set_font(cr_, kBody, bold);
  const double width = kPageW - 2 * kMargin;
  std::string line, word;
  auto flush = [&] {
    need(kLine);
    cairo_set_source_rgb(cr_, 0.1, 0.1, 0.1);
    set_font(cr_, kBody, bold);
    draw_text(cr_, line, kMargin, y_, Align::start, Align::start);
    y_ += kLine;
    line.clear();
  };
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != ' ') {
      word += text[i];
      continue;
    }
    const std::string candidate = line.empty() ? word : line + ' ' + word;
    if (!line.empty() && text_width(cr_, candidate) > width) {
      flush();
      line = word;
    } else {
      line = candidate;
    }
    word.clear();
  }
  if (!line.empty()) flush();
}

void pairs(Pages& p, const std::vector<std::pair<std::string, std::string>>& rows) {
  for (const auto& [name, value] : rows) p.row({name, value}, {0, 120});
}

std::vector<std::uint8_t> pdf_document(const std::string& title, const std::string& version,
                                       const std::string& heading, const std::function<void(Pages&)>& fill) {
  std::vector<std::uint8_t> bytes;
  {
    Surface pdf(cairo_pdf_surface_create_for_stream(append_bytes, &bytes, kPageW, kPageH));
    if (cairo_surface_status(pdf.get()) != CAIRO_STATUS_SUCCESS)
      throw Error(ErrorCode::internal, "cannot create the PDF surface");
    cairo_pdf_surface_set_metadata(pdf.get(), CAIRO_PDF_METADATA_TITLE, title.c_str());
    cairo_pdf_surface_set_metadata(pdf.get(), CAIRO_PDF_METADATA_CREATOR, ("soundlens " + version).c_str());
    Context cr = make_context(pdf.get());
    Pages p(cr.get());
    cairo_set_source_rgb(cr.get(), 0.1, 0.1, 0.1);
    set_font(cr.get(), 18, true);
    draw_text(cr.get(), heading, kMargin, p.y(), Align::start, Align::start);
    p.advance(26);
    fill(p);
    cr.reset();
    cairo_surface_finish(pdf.get());
    if (cairo_surface_status(pdf.get()) != CAIRO_STATUS_SUCCESS)
      throw Error(ErrorCode::internal, std::string("the PDF could not be written: ") +
                                           cairo_status_to_string(cairo_surface_status(pdf.get())));
  }
  return bytes;
}

}  // namespace soundlens::render
