#include "render/png_encode.h"

#include <string>

#include "core/error.h"

namespace soundlens::render {
namespace {

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  auto* out = static_cast<std::vector<std::uint8_t>*>(closure);
  try {
    out->insert(out->end(), data, data + length);
  } catch (...) {  // an exception must not unwind through Cairo's C frames
    return CAIRO_STATUS_NO_MEMORY;
  }
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

std::vector<std::uint8_t> encode_png(cairo_surface_t* surface) {
  cairo_surface_flush(surface);
  std::vector<std::uint8_t> png;
  // Compressed spectrograms are usually well under a byte per pixel.
  png.reserve(std::size_t(cairo_image_surface_get_width(surface)) *
              std::size_t(cairo_image_surface_get_height(surface)) / 2);
  const cairo_status_t status = cairo_surface_write_to_png_stream(surface, append, &png);
  if (status != CAIRO_STATUS_SUCCESS)
    throw Error(ErrorCode::internal, std::string("PNG encoding failed: ") + cairo_status_to_string(status));
  return png;
}

}  // namespace soundlens::render
