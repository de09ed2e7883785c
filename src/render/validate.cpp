#include "render/validate.h"

#include <cmath>
#include <string>

#include "core/error.h"

namespace soundlens::render {
namespace {

[[noreturn]] void fail(ErrorCode code, const std::string& what) {
  throw Error(code, "cannot render figure: " + what);
}

void validate_spectrogram(const MelSpectrogram* s) {
  if (!s) fail(ErrorCode::internal, "no spectrogram given");
  if (s->n_mels <= 0 || s->n_frames <= 0)
    fail(ErrorCode::internal, "spectrogram is empty (" + std::to_string(s->n_mels) + " mel bins x " +
                                  std::to_string(s->n_frames) + " frames)");
  if (s->values.size() != std::size_t(s->n_mels) * std::size_t(s->n_frames))
    fail(ErrorCode::internal, "spectrogram holds " + std::to_string(s->values.size()) +
                                  " values, expected n_mels * n_frames = " +
                                  std::to_string(std::size_t(s->n_mels) * std::size_t(s->n_frames)));
  if (!(s->seconds_per_frame > 0) || !std::isfinite(s->seconds_per_frame))
    fail(ErrorCode::internal, "spectrogram seconds_per_frame must be positive");
  if (s->center_hz.size() != std::size_t(s->n_mels))
    fail(ErrorCode::internal, "spectrogram has " + std::to_string(s->center_hz.size()) +
                                  " centre frequencies for " + std::to_string(s->n_mels) + " mel bins");
  for (std::size_t i = 0; i < s->center_hz.size(); ++i)
    if (!std::isfinite(s->center_hz[i]) || s->center_hz[i] < 0 ||
        (i > 0 && s->center_hz[i] < s->center_hz[i - 1]))
      fail(ErrorCode::internal, "spectrogram centre frequencies must be finite, non-negative and ascending");
}

void validate_cam(const CamMap* cam) {
  if (!cam) return;
  if (cam->rows <= 0 || cam->cols <= 0)
    fail(ErrorCode::internal, "Grad-CAM map has no cells (" + std::to_string(cam->rows) + " x " +
                                  std::to_string(cam->cols) + ")");
  if (cam->values.size() != std::size_t(cam->rows) * std::size_t(cam->cols))
    fail(ErrorCode::internal, "Grad-CAM map holds " + std::to_string(cam->values.size()) +
                                  " values, expected rows * cols = " +
                                  std::to_string(std::size_t(cam->rows) * std::size_t(cam->cols)));
  if (!(cam->seconds_per_column > 0) || !std::isfinite(cam->seconds_per_column))
    fail(ErrorCode::internal, "Grad-CAM map seconds_per_column must be positive");
  if (!(cam->mel_bins_per_row > 0) || !std::isfinite(cam->mel_bins_per_row))
    fail(ErrorCode::internal, "Grad-CAM map mel_bins_per_row must be positive");
}

}  // namespace

void validate_spec(const FigureSpec& spec) {
  validate_spectrogram(spec.spectrogram);
  validate_cam(spec.cam);
  if (!(spec.overlay_alpha >= 0.f && spec.overlay_alpha <= 1.f))
    fail(ErrorCode::bad_request, "overlay_alpha must be within [0, 1]");
}

}  // namespace soundlens::render
