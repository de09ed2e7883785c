#pragma once
// Internal to the model and explain stages (Torch types): what one backbone
// pass leaves behind, so that Grad-CAM needs only the head's backward pass and
// the other methods can start from a recorded layer.
#include <torch/torch.h>

#include <algorithm>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "model/detail/staged_network.h"
#include "model/model.h"

namespace soundlens::detail {

class TorchForwardPass : public ForwardPass {
 public:
  // feature_maps: (windows, channels, freq cells, time cells), lowest frequency first.
  // head: feature maps -> logits (windows, classes); differentiable.
  TorchForwardPass(torch::Tensor feature_maps, std::function<torch::Tensor(const torch::Tensor&)> head)
      : feature_maps_(std::move(feature_maps)), head_(std::move(head)) {
    torch::NoGradGuard no_grad;
    logits_ = head_(feature_maps_).contiguous();
  }
  // A staged network's pass: the input and the outputs of the recorded stages
  // (network orientation) are kept. The network must outlive the pass.
  TorchForwardPass(const StagedNetwork& network, torch::Tensor input, torch::Tensor feature_maps,
                   std::vector<std::pair<std::string, torch::Tensor>> recorded)
      : feature_maps_(std::move(feature_maps)),
        head_([&network](const torch::Tensor& maps) { return network.head(maps); }),
        network_(&network),
        input_(std::move(input)),
        recorded_(std::move(recorded)) {
    torch::NoGradGuard no_grad;
    logits_ = head_(feature_maps_).contiguous();
  }
  int windows() const override { return int(logits_.size(0)); }
  std::span<const float> logits(int window) const override {
    return {logits_.data_ptr<float>() + window * logits_.size(1), size_t(logits_.size(1))};
  }
  // The head pools over every cell, so a map of some time columns is those columns' own evidence.
  std::vector<float> frame_logits(int window, int pool_columns = 1) const override {
    torch::NoGradGuard no_grad;
    const auto maps = feature_maps_[window];  // (channels, freq, time)
    const int64_t columns = maps.size(2);
    const int64_t pool = std::clamp<int64_t>(pool_columns, 1, columns);
    // Every run of `pool` consecutive columns: (columns - pool + 1, channels, freq, pool).
    const auto runs = maps.unfold(2, pool, 1).permute({2, 0, 1, 3}).contiguous();
    auto out = head_(runs);
    if (pool > 1) {  // column t takes the run around it, shifted inside the window at its edges
      std::vector<int64_t> run_around(static_cast<std::size_t>(columns));
      for (int64_t t = 0; t < columns; ++t) run_around[std::size_t(t)] = std::clamp<int64_t>(t - pool / 2, 0, columns - pool);
      out = out.index_select(0, torch::tensor(run_around));
    }
    out = out.contiguous();
    return {out.data_ptr<float>(), out.data_ptr<float>() + out.numel()};
  }
  std::vector<float> embedding(int window) const override {
    if (!network_) return {};
    torch::NoGradGuard no_grad;
    const auto e = network_->embedding(feature_maps_.slice(0, window, window + 1)).contiguous();
    return {e.data_ptr<float>(), e.data_ptr<float>() + e.numel()};
  }
  const torch::Tensor& feature_maps() const { return feature_maps_; }
  torch::Tensor head(const torch::Tensor& maps) const { return head_(maps); }
  const torch::Tensor& logits_tensor() const { return logits_; }

  // When the head is logits = mean over cells of the maps, times weight^T, plus a bias (YAMNet's), its
  // weight (classes, channels): the gradient of a logit on the maps is then its row over the cell count,
  // and Grad-CAM needs no backward pass. Undefined for other heads.
  const torch::Tensor& pooled_linear_head() const { return pooled_linear_head_; }
  void set_pooled_linear_head(torch::Tensor weight) { pooled_linear_head_ = std::move(weight); }

  // When the head is some function of the maps' mean over cells (EfficientAT's MLP head), that function
  // ((windows, channels) -> logits): a logit's gradient on the maps is then its gradient on the mean over
  // the cell count at every cell, and Grad-CAM's backward pass runs on the means alone. Empty otherwise.
  using PooledHead = std::function<torch::Tensor(const torch::Tensor&)>;
  const PooledHead& mean_pooled_head() const { return mean_pooled_head_; }
  void set_mean_pooled_head(PooledHead head) { mean_pooled_head_ = std::move(head); }

  const StagedNetwork* network() const { return network_; }  // nullptr: only the last block and head are known
  const torch::Tensor& input() const { return input_; }      // (windows, mels, frames)
  // A recorded stage's output (network orientation); an undefined tensor when not recorded.
  torch::Tensor recorded(const std::string& stage) const {
    for (const auto& [name, t] : recorded_)
      if (name == stage) return t;
    return {};
  }

 private:
  torch::Tensor feature_maps_;
  std::function<torch::Tensor(const torch::Tensor&)> head_;
  torch::Tensor logits_;
  const StagedNetwork* network_ = nullptr;
  torch::Tensor input_;
  std::vector<std::pair<std::string, torch::Tensor>> recorded_;
  torch::Tensor pooled_linear_head_;
  PooledHead mean_pooled_head_;
};

// Runs every stage without gradients, recording the outputs of `record`
// (the model's explainable layers), and makes the pass.
std::unique_ptr<TorchForwardPass> staged_forward(const StagedNetwork& net, torch::Tensor input,
                                                 const std::vector<ExplainableLayer>& record);

}  // namespace soundlens::detail
