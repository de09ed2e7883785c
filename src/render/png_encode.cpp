#include "render/png_encode.h"

#include <png.h>
#include <zlib.h>

#include <csetjmp>
#include <cstring>
#include <string>

#include "core/error.h"

namespace soundlens::render {
namespace {

// Cairo's own PNG writer always uses zlib's default level with adaptive
// filtering, which spends most of a figure's time compressing noisy
// spectrogram pixels. The 'up' filter with run-length zlib gives files of the
// same size (measured: within 0.2% of Paeth's) several times faster.
void append(png_structp png, png_bytep data, png_size_t length) {
  auto* out = static_cast<std::vector<std::uint8_t>*>(png_get_io_ptr(png));
  out->insert(out->end(), data, data + length);
}

// Opaque ARGB32/RGB24 (native-endian words) to packed RGB.
void to_rgb(const unsigned char* row, int width, std::uint8_t* rgb) {
  for (int x = 0; x < width; ++x) {
    std::uint32_t pixel;
    std::memcpy(&pixel, row + 4 * x, 4);
    rgb[3 * x] = std::uint8_t(pixel >> 16);
    rgb[3 * x + 1] = std::uint8_t(pixel >> 8);
    rgb[3 * x + 2] = std::uint8_t(pixel);
  }
}

// libpng reports errors by longjmp; nothing with a destructor lives in this frame.
bool write_png(png_structp png, png_infop info, const unsigned char* data, int width, int height, int stride,
               std::uint8_t* row_buffer) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_set_IHDR(png, info, png_uint_32(width), png_uint_32(height), 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_UP);
  png_set_compression_strategy(png, Z_RLE);
  png_set_compression_level(png, 1);
  png_write_info(png, info);
  for (int y = 0; y < height; ++y) {
    to_rgb(data + std::size_t(y) * std::size_t(stride), width, row_buffer);
    png_write_row(png, row_buffer);
  }
  png_write_end(png, info);
  return true;
}

}  // namespace

std::vector<std::uint8_t> encode_png(cairo_surface_t* surface) {
  cairo_surface_flush(surface);
  const int width = cairo_image_surface_get_width(surface), height = cairo_image_surface_get_height(surface);
  const int stride = cairo_image_surface_get_stride(surface);
  const unsigned char* data = cairo_image_surface_get_data(surface);
  const auto format = cairo_image_surface_get_format(surface);
  if (data == nullptr || width <= 0 || height <= 0 || (format != CAIRO_FORMAT_ARGB32 && format != CAIRO_FORMAT_RGB24))
    throw Error(ErrorCode::internal, "PNG encoding failed: not an RGB image surface");

  std::vector<std::uint8_t> out;
  out.reserve(std::size_t(width) * std::size_t(height) / 2);
  std::vector<std::uint8_t> row(std::size_t(width) * 3);
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png != nullptr ? png_create_info_struct(png) : nullptr;
  if (info == nullptr) {
    png_destroy_write_struct(&png, nullptr);
    throw Error(ErrorCode::internal, "PNG encoding failed: out of memory");
  }
  png_set_write_fn(png, &out, append, nullptr);
  const bool ok = write_png(png, info, data, width, height, stride, row.data());
  png_destroy_write_struct(&png, &info);
  if (!ok) throw Error(ErrorCode::internal, "PNG encoding failed");
  return out;
}

}  // namespace soundlens::render
