#pragma once
// Internal to the explain stage (Torch types): what the methods share.
#include <torch/torch.h>

#include <span>
#include <string>
#include <vector>

#include "explain/cam_grid.h"
#include "model/detail/torch_forward.h"

namespace soundlens::detail {

// Error(bad_request) for a class or contrast out of range, or a contrast equal to its class.
void check_targets(std::span<const ExplainTarget> targets, int num_classes);

// The pass as a LibTorch one; Error(internal) naming the method otherwise.
const TorchForwardPass& torch_pass(const ForwardPass& pass, const std::string& method);
// The pass's staged network; Error(bad_request) naming the method when the model has none.
const StagedNetwork& staged_network(const TorchForwardPass& pass, const std::string& method);

// The explained score of each row of logits (windows, classes): logit(A) or logit(A) - logit(B).
torch::Tensor target_score(const torch::Tensor& logits, const ExplainTarget& target);

// (windows, rows, cols) float -> one grid per window.
std::vector<CamGrid> to_grids(const torch::Tensor& maps, int frames_per_column, double mel_bins_per_row);

// The model's explainable layer named `name`; Error(internal) when it is not declared.
const ExplainableLayer& explainable_layer(const ModelInfo& info, const std::string& name);

}  // namespace soundlens::detail

namespace soundlens::detail {

// The last conv block's maps (windows, channels, rows, cols) from the pass and,
// per target, the gradient of the target's score on them: only the head runs again
// (one backward pass for all targets), or nothing at all when the head is a
// linear layer over the pooled maps (TorchForwardPass::pooled_linear_head).
struct LastLayerGradients {
  torch::Tensor maps;
  std::vector<torch::Tensor> grads;
  // When the head starts from the maps' mean over cells, a target's gradient is the same at every cell:
  // per target, that gradient (windows, channels), or (1, channels) when the same for every window too,
  // of which grads[t] is a view. Empty for other heads.
  std::vector<torch::Tensor> per_channel;
};
LastLayerGradients last_layer_gradients(const TorchForwardPass& pass, std::span<const ExplainTarget> targets);

}  // namespace soundlens::detail
