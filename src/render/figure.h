#pragma once
// Render stage: PNG figures of the log-mel spectrogram, with or without the
// Grad-CAM overlay. Depends only on value types.
#include <cstdint>
#include <string>
#include <vector>

#include "explain/cam_map.h"
#include "features/mel_spectrogram.h"

namespace soundlens {

struct FigureSpec {
  const MelSpectrogram* spectrogram = nullptr;  // whole recording
  const CamMap* cam = nullptr;                  // nullptr: spectrogram only
  std::string title;                            // e.g. "Cough (p = 0.95): Grad-CAM on features.16"
  int width = 1200;
  int height = 520;
  float overlay_alpha = 0.55f;
};

// Returns PNG bytes.
std::vector<std::uint8_t> render_figure_png(const FigureSpec& spec);

}  // namespace soundlens
