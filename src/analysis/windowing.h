#pragma once
// How a recording is cut into model windows.
#include <cstddef>
#include <vector>

namespace soundlens {

struct WindowSpan {
  std::size_t start = 0;   // first sample
  std::size_t length = 0;  // samples taken from the recording (the last may be zero-padded after)
};

// Windows of window_samples every hop_samples; the last window ends at the
// end of the recording, so nothing is left out. A recording no longer than
// one window is one window.
std::vector<WindowSpan> plan_windows(std::size_t total, std::size_t window_samples, std::size_t hop_samples);

}  // namespace soundlens
