#pragma once
// Internal to the render stage: rejects a FigureSpec that cannot be drawn,
// with a message naming what is wrong, before any drawing starts.
#include "render/figure.h"

namespace soundlens::render {

// Malformed value objects (a bug upstream) throw Error(internal); request
// parameters out of range (size, opacity) throw Error(bad_request).
void validate_spec(const FigureSpec& spec);

}  // namespace soundlens::render
