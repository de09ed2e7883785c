#pragma once
// Internal to the model and explain stages (Torch types): a network as a chain
// of named stages, so that explanation methods can ask for any layer's
// activations and gradients by name and re-run only the part of the network
// after it.
#include <torch/torch.h>

#include <span>
#include <string>
#include <vector>

#include "features/mel_spectrogram.h"

namespace soundlens::detail {

class StagedNetwork {
 public:
  virtual ~StagedNetwork() = default;
  // In order. Stage 0 takes the stacked input (windows, mels, frames); stage i
  // takes stage i - 1's output. The names are the checkpoint's module names.
  virtual const std::vector<std::string>& stage_names() const = 0;
  // Differentiable when grad mode is on (no in-place ops then).
  virtual torch::Tensor run_stage(int index, const torch::Tensor& x) const = 0;
  // A stage's output as (windows, channels, freq cells, time cells), lowest frequency first (a view).
  virtual torch::Tensor to_map(const torch::Tensor& stage_output) const = 0;
  // The last stage's output in map orientation -> logits (windows, classes).
  virtual torch::Tensor head(const torch::Tensor& last_map) const = 0;
  // The pooled features the head starts from (windows, features): what a
  // trained head (model/trained_model.h) is fitted on. Differentiable.
  virtual torch::Tensor embedding(const torch::Tensor& last_map) const = 0;

  // The first `stages` stages are convolutions without any global step (no squeeze-excitation, no
  // pooling over the map): along either input axis, their output cell j depends only on the input
  // cells stride * j - radius .. stride * j + radius, zero-padded at the input's own edges. So a crop
  // of the stacked input whose bounds are multiples of `stride` (or the input's ends) gives exactly
  // the output cells whose span lies inside it: what occlusion recomputes around a patch instead of
  // the whole input. stages = 0: no such prefix is declared.
  struct LocalPrefix {
    int stages = 0, stride = 1, radius = 0;
  };
  virtual LocalPrefix local_prefix() const { return {}; }

  // Error(bad_request) naming the stages when there is no such name.
  int stage_index(const std::string& name) const;
};

// What a run through stages [first, end) and the head gives.
struct StagedRun {
  torch::Tensor logits;
  std::vector<torch::Tensor> taps;  // the requested stages' outputs, network orientation, in request order
};

// x is stage first - 1's output (the stacked input when first = 0). A tap at
// first - 1 is x itself. Runs in the current grad mode.
StagedRun run_stages(const StagedNetwork& net, int first, const torch::Tensor& x, std::span<const int> taps);

}  // namespace soundlens::detail
