#pragma once
// Internal to the model and explain stages (Torch types): what one backbone
// pass leaves behind, so that Grad-CAM needs only the head's backward pass.
#include <torch/torch.h>

#include <functional>

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
  int windows() const override { return int(logits_.size(0)); }
  std::span<const float> logits(int window) const override {
    return {logits_.data_ptr<float>() + window * logits_.size(1), size_t(logits_.size(1))};
  }
  const torch::Tensor& feature_maps() const { return feature_maps_; }
  torch::Tensor head(const torch::Tensor& maps) const { return head_(maps); }

 private:
  torch::Tensor feature_maps_;
  std::function<torch::Tensor(const torch::Tensor&)> head_;
  torch::Tensor logits_;
};

}  // namespace soundlens::detail
