#pragma once
// Internal to the render stage: a finished Cairo image to PNG bytes in memory.
#include <cairo.h>

#include <cstdint>
#include <vector>

namespace soundlens::render {

// Throws soundlens::Error(internal) if Cairo reports a failure.
std::vector<std::uint8_t> encode_png(cairo_surface_t* surface);

}  // namespace soundlens::render
