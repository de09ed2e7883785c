#include "decoded_png.h"

#include <cairo.h>
#include <gtest/gtest.h>

#include <cstring>

namespace soundlens::test {
namespace {

struct Reader {
  const std::vector<std::uint8_t>* bytes;
  std::size_t pos = 0;
};

cairo_status_t read_chunk(void* closure, unsigned char* data, unsigned int length) {
  auto* r = static_cast<Reader*>(closure);
  if (r->pos + length > r->bytes->size()) return CAIRO_STATUS_READ_ERROR;
  std::memcpy(data, r->bytes->data() + r->pos, length);
  r->pos += length;
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

DecodedPng::DecodedPng(const std::vector<std::uint8_t>& png) {
  static const std::uint8_t kSignature[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  if (png.size() < 8 || std::memcmp(png.data(), kSignature, 8) != 0) {
    ADD_FAILURE() << "not a PNG signature";
    return;
  }
  Reader reader{&png};
  cairo_surface_t* s = cairo_image_surface_create_from_png_stream(read_chunk, &reader);
  if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
    ADD_FAILURE() << "PNG does not decode: " << cairo_status_to_string(cairo_surface_status(s));
    cairo_surface_destroy(s);
    return;
  }
  cairo_surface_flush(s);
  width_ = cairo_image_surface_get_width(s);
  height_ = cairo_image_surface_get_height(s);
  const int stride = cairo_image_surface_get_stride(s);
  const unsigned char* data = cairo_image_surface_get_data(s);
  argb_.resize(std::size_t(width_) * height_);
  for (int y = 0; y < height_; ++y)
    std::memcpy(&argb_[std::size_t(y) * width_], data + std::size_t(y) * stride, std::size_t(width_) * 4);
  cairo_surface_destroy(s);
}

Pixel DecodedPng::at(int x, int y) const {
  const std::uint32_t w = argb_.at(std::size_t(y) * width_ + x);
  return {int(w >> 16 & 0xFF), int(w >> 8 & 0xFF), int(w & 0xFF)};
}

int DecodedPng::count_heat(const render::Rect& r) const {
  int n = 0;
  for (int y = r.y; y < r.bottom(); ++y)
    for (int x = r.x; x < r.right(); ++x) n += at(x, y).is_heat();
  return n;
}

int DecodedPng::count_non_background(const render::Rect& r) const {
  int n = 0;
  for (int y = r.y; y < r.bottom(); ++y)
    for (int x = r.x; x < r.right(); ++x) n += !at(x, y).is_background();
  return n;
}

double DecodedPng::mean_luminance(const render::Rect& r) const {
  double sum = 0;
  for (int y = r.y; y < r.bottom(); ++y)
    for (int x = r.x; x < r.right(); ++x) sum += at(x, y).luminance();
  return sum / (double(r.w) * r.h);
}

}  // namespace soundlens::test
