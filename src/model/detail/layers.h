#pragma once
// Internal: functional building blocks shared by the networks.
#include <torch/torch.h>

#include <span>

#include "features/mel_spectrogram.h"
#include "model/detail/checkpoint.h"

namespace soundlens::detail {

// How a convolution is computed; the fastest differs by layer shape (bench/).
enum class ConvMethod {
  direct,                // LibTorch/oneDNN convolution on contiguous (NCHW) activations
  direct_channels_last,  // the same on channels-last activations
  gemm,                  // one matrix product over all positions (im2col first unless 1x1);
                         // best for 1x1 and for many channels at few positions
};

// A convolution with its batch norm folded in (inference only): the weights
// are scaled once at load time, which saves a pass over every activation.
// The gemm method returns channels-last activations.
struct FusedConv {
  torch::Tensor weight, bias;
  torch::Tensor matrix;  // gemm: (in * kernel * kernel, out)
  ConvMethod method = ConvMethod::direct;
  int64_t kernel = 1, stride = 1, padding = 0, groups = 1;
  torch::Tensor operator()(const torch::Tensor& x) const;
};

// conv_key: the conv's "weight" prefix; bn_key: the batch norm's prefix.
FusedConv fuse_conv_bn(const StateDict& dict, const std::string& conv_key, const std::string& bn_key, double eps,
                       int64_t stride, int64_t padding, int64_t groups, ConvMethod method);

struct Linear {
  torch::Tensor weight, bias;
  torch::Tensor operator()(const torch::Tensor& x) const { return torch::linear(x, weight, bias); }
};
Linear load_linear(const StateDict& dict, const std::string& prefix);

// (windows, mels, frames); all windows must have the same shape.
torch::Tensor stack_spectrograms(std::span<const MelSpectrogram> windows);

}  // namespace soundlens::detail
