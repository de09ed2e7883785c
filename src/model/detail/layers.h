#pragma once
// Internal: functional building blocks shared by the networks.
#include <torch/torch.h>

#include <span>

#include "features/mel_spectrogram.h"
#include "model/detail/checkpoint.h"

namespace soundlens::detail {

// A convolution with its batch norm folded in (inference only): the weights
// are scaled once at load time, which saves a pass over every activation.
struct FusedConv {
  torch::Tensor weight, bias;
  torch::Tensor pointwise;  // for 1x1, stride 1, ungrouped: the (in, out) matrix
  int64_t stride = 1, padding = 0, groups = 1;
  torch::Tensor operator()(const torch::Tensor& x) const;
};

enum class Layout { contiguous, channels_last };

// conv_key: the conv's "weight" prefix; bn_key: the batch norm's prefix.
// The layout is the one the network keeps its activations in.
FusedConv fuse_conv_bn(const StateDict& dict, const std::string& conv_key, const std::string& bn_key, double eps,
                       int64_t stride, int64_t padding, int64_t groups, Layout layout);

struct Linear {
  torch::Tensor weight, bias;
  torch::Tensor operator()(const torch::Tensor& x) const { return torch::linear(x, weight, bias); }
};
Linear load_linear(const StateDict& dict, const std::string& prefix);

// (windows, mels, frames); all windows must have the same shape.
torch::Tensor stack_spectrograms(std::span<const MelSpectrogram> windows);

}  // namespace soundlens::detail
