#pragma once
// Internal to the explain stage (Torch types): Grad-CAM and Grad-CAM++ share
// everything but their channel weights. Both take the last conv block's maps A
// and, per target, the gradient g = dY/dA of the target's score (the head's
// backward pass only), and give ReLU(sum_k w_k A_k) per window.
#include <string>
#include <utility>

#include "explain/detail/torch_explain.h"
#include "explain/explanation_method.h"

namespace soundlens::detail {

// w (windows, channels, 1, 1) from g and A (windows, channels, rows, cols).
using ChannelWeights = torch::Tensor (*)(const torch::Tensor& grad, const torch::Tensor& maps);

// Grad-CAM's weights: the gradient's mean over the cells. With a head over the maps' mean, where the
// gradient is the same at every cell, last_layer_cam takes it as it is and computes every target's maps
// in one loop over the cells, without tensor operations per target.
torch::Tensor mean_gradient(const torch::Tensor& grad, const torch::Tensor& maps);

// One grid per (target, window), cells of frames_per_column frames by mel_bins_per_row bins.
std::vector<std::vector<CamGrid>> last_layer_cam(const TorchForwardPass& pass, std::span<const ExplainTarget> targets,
                                                 int num_classes, ChannelWeights weights, int frames_per_column,
                                                 double mel_bins_per_row);

// The method on the model's CAM layer, named `name` in the registry.
class LastLayerCam : public ExplanationMethod {
 public:
  LastLayerCam(std::string name, ChannelWeights weights) : name_(std::move(name)), weights_(weights) {}
  std::string name() const override { return name_; }
  std::vector<std::string> layers(const ModelInfo& info) const override { return {info.cam_layer}; }

 protected:
  std::vector<std::vector<CamGrid>> compute(const Model& model, const ForwardPass& pass,
                                            std::span<const MelSpectrogram> windows,
                                            std::span<const ExplainTarget> targets,
                                            const CancelToken* cancel) const override;

 private:
  std::string name_;
  ChannelWeights weights_;
};

}  // namespace soundlens::detail
