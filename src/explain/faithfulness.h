#pragma once
// Faithfulness of a map by deletion (Samek et al. 2017, MoRF and LeRF): its
// own cells are set to the model's silence floor, most relevant first (MoRF)
// or least relevant first (LeRF), and the class probability is followed.
#include <cstdint>
#include <string>
#include <vector>

#include "core/cancel_token.h"
#include "explain/cam_map.h"
#include "explain/map_checks.h"
#include "model/model.h"

namespace soundlens {

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
// over windows. Step i of kFaithfulnessSteps removes round(i * cells /
// kFaithfulnessSteps) cells (ties in the map keep row-major order). Forward
// passes run in batches of up to batch windows; 0 picks about 10240 frames per
// batch (explain/masked_passes.h, default_batch).
// Errors: bad_request for a map that does not fit the recording or bad
// window sizes, not_found for an unknown class; the token's, checked per batch.
Faithfulness faithfulness(const Model& model, const MelSpectrogram& recording, int window_frames, int hop_frames,
                          const CamMap& map, std::uint64_t seed = kFaithfulnessSeed, int batch = 0,
                          const CancelToken* cancel = nullptr);

// Deletion steps per curve (each curve has kFaithfulnessSteps + 1 points, 0 to
// every cell removed). 5 steps of 20 % (10 until 2026-12-06): a curve's first
// and last points are shared by the four curves, so one map costs 2 + 4 x 4 =
// 18 passes instead of 38; the map and its random map are compared on the
// same points, which is what the score is read for.
inline constexpr int kFaithfulnessSteps = 5;
// The most variants (forward passes of every window) faithfulness() runs.
inline constexpr int kFaithfulnessMaxVariants = 2 + 4 * (kFaithfulnessSteps - 1);

}  // namespace soundlens
