#pragma once
// Internal to the explain stage (Torch types): the logits of one window with a
// patch of its log-mel input set to a value, several patches per pass.
//
// Most of a pass is the network's first, high-resolution stages. When the
// network declares a local prefix (StagedNetwork::local_prefix), a patch
// changes only the prefix's output cells whose input span meets it: those are
// recomputed from a crop of the input around the patch and pasted into the
// unoccluded window's prefix output, and only the rest of the network runs on
// the whole window. The result equals the whole pass up to float rounding.
#include <torch/torch.h>

#include <span>

#include "model/detail/staged_network.h"

namespace soundlens::detail {

// Input cells [mel_begin, mel_end) x [frame_begin, frame_end).
struct Patch {
  int64_t mel_begin = 0, mel_end = 0, frame_begin = 0, frame_end = 0;
};

class OccludedLogits {
 public:
  // window: (mels, frames); local = false runs every stage on the whole input (for tests and models
  // without a prefix).
  OccludedLogits(const StagedNetwork& net, torch::Tensor window, float fill, bool local = true);
  // (patches, classes): one occluded input per patch.
  torch::Tensor operator()(std::span<const Patch> patches) const;

 private:
  struct Crop {
    int64_t mel_begin, mel_end, frame_begin, frame_end;  // the input crop
    int64_t row_begin, row_end, col_begin, col_end;      // the prefix output cells it gives exactly
  };
  Crop crop_of(const Patch& p) const;
  torch::Tensor occluded(const Patch& p, int64_t mel_begin, int64_t mel_end, int64_t frame_begin,
                         int64_t frame_end) const;

  const StagedNetwork& net_;
  torch::Tensor window_;
  float fill_;
  StagedNetwork::LocalPrefix prefix_;
  torch::Tensor clean_;  // the prefix's output on the unoccluded window (1, channels, rows, cols)
};

}  // namespace soundlens::detail
