#pragma once
// Faithfulness of a map by deletion (Samek et al. 2017, MoRF and LeRF): its
// own cells are set to the model's silence floor, most relevant first (MoRF)
// or least relevant first (LeRF), and the class probability is followed.
#include <cstdint>
#include <string>
#include <vector>

#include "core/cancel_token.h"
#include "explain/cam_map.h"
#include "model/model.h"

namespace soundlens {

struct Faithfulness {
  double score = 0;         // lerf_auc - morf_auc: higher means the map found what the model used
  double random_score = 0;  // the same for a random map with the same cells (fixed seed): chance
  double morf_auc = 0, lerf_auc = 0;  // trapezoid over the fraction removed, divided by the original probability
  std::vector<double> steps;  // fraction of cells removed: 0, 0.1 ... 1 (rounded to whole cells)
  std::vector<double> morf;   // clip probability after each step, most relevant removed first
  std::vector<double> lerf;   // the same, least relevant removed first
  double probability = 0;     // the clip probability of the explained score, nothing removed
  // The class scores under kAbsentClassProbability on the clip: the map explains a class the model does
  // not hear, so no curve is run and the scores above stay 0 (they would read as a verdict).
  bool absent_class = false;
  std::string message;        // plain words when the numbers need them (absent class, clip shorter than a cell)
};

// Under this clip probability a class counts as absent: its checks say so instead of scoring.
inline constexpr double kAbsentClassProbability = 0.05;

// The seed of the random map, fixed so that a score can be reproduced.
inline constexpr std::uint64_t kFaithfulnessSeed = 0x5eed2026;

// recording: the whole recording's spectrogram, cut into windows of
// window_frames every hop_frames as the analysis cuts it (the last window ends
// at the end; a recording no longer than a window is one window, padded with
// the silence floor up to the model's min_frames). The map's cells are
// frames_per_column frames (read off seconds_per_column when 0) by
// mel_bins_per_row mel bins, columns from frame 0, rows from the lowest bin.
// A model with its own window (ModelInfo::window_s > 0, YAMNet) is cut into
// its own windows instead: min_frames frames every hop_s.
// Probability: sigmoid of the class logit, or of logit(class) -
// logit(contrast_index) when contrast_index >= 0; the clip's is the maximum
// over windows. Step i removes round(i * cells / 10) cells (ties in the map
// keep row-major order). Forward passes run in batches of up to batch windows;
// 0 picks about 2048 frames per batch (measured on 2 cores: batches of short
// windows pay, batches of many 10 s windows run slower per window).
// Errors: bad_request for a map that does not fit the recording or bad
// window sizes, not_found for an unknown class; the token's, checked per batch.
Faithfulness faithfulness(const Model& model, const MelSpectrogram& recording, int window_frames, int hop_frames,
                          const CamMap& map, std::uint64_t seed = kFaithfulnessSeed, int batch = 0,
                          const CancelToken* cancel = nullptr);

// The most variants (forward passes of every window) faithfulness() runs.
inline constexpr int kFaithfulnessMaxVariants = 2 + 4 * 9;

}  // namespace soundlens
