#include "model/detail/layers.h"

#include <cstring>

#include "core/error.h"

namespace soundlens::detail {

torch::Tensor FusedConv::operator()(const torch::Tensor& x) const {
  if (!pointwise.defined()) return torch::conv2d(x, weight, bias, stride, padding, /*dilation=*/1, groups);
  // On channels-last activations a 1x1 convolution is one matrix product over
  // all positions, without the im2col copy LibTorch's generic path makes.
  const auto b = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
  auto y = torch::addmm(bias, x.permute({0, 2, 3, 1}).reshape({b * h * w, c}), pointwise);
  return y.view({b, h, w, pointwise.size(1)}).permute({0, 3, 1, 2});
}

FusedConv fuse_conv_bn(const StateDict& dict, const std::string& conv_key, const std::string& bn_key, double eps,
                       int64_t stride, int64_t padding, int64_t groups, Layout layout) {
  const auto& w = require(dict, conv_key + ".weight");
  const auto out_channels = w.size(0);
  const auto& gamma = require(dict, bn_key + ".weight", {out_channels});
  const auto& beta = require(dict, bn_key + ".bias", {out_channels});
  const auto& mean = require(dict, bn_key + ".running_mean", {out_channels});
  const auto& var = require(dict, bn_key + ".running_var", {out_channels});
  // Folding in double keeps the fused weights within float rounding of the reference.
  const auto scale = gamma.to(torch::kDouble) / (var.to(torch::kDouble) + eps).sqrt();
  FusedConv conv;
  conv.weight = (w.to(torch::kDouble) * scale.view({-1, 1, 1, 1})).to(torch::kFloat);
  conv.weight = layout == Layout::channels_last ? conv.weight.contiguous(torch::MemoryFormat::ChannelsLast)
                                                : conv.weight.contiguous();
  conv.bias = (beta.to(torch::kDouble) - mean.to(torch::kDouble) * scale).to(torch::kFloat).contiguous();
  conv.stride = stride;
  conv.padding = padding;
  conv.groups = groups;
  if (layout == Layout::channels_last && groups == 1 && stride == 1 && w.size(2) == 1 && w.size(3) == 1)
    conv.pointwise = conv.weight.reshape({out_channels, w.size(1)}).t().contiguous();
  return conv;
}

Linear load_linear(const StateDict& dict, const std::string& prefix) {
  Linear l;
  l.weight = require(dict, prefix + ".weight").to(torch::kFloat).contiguous();
  l.bias = require(dict, prefix + ".bias", {l.weight.size(0)}).to(torch::kFloat).contiguous();
  return l;
}

torch::Tensor stack_spectrograms(std::span<const MelSpectrogram> windows) {
  if (windows.empty()) throw Error(ErrorCode::internal, "no windows to analyse");
  const auto& first = windows.front();
  auto batch = torch::empty({int64_t(windows.size()), first.n_mels, first.n_frames});
  for (size_t i = 0; i < windows.size(); ++i) {
    if (windows[i].n_frames != first.n_frames || windows[i].n_mels != first.n_mels)
      throw Error(ErrorCode::internal, "windows in one batch must have the same shape");
    std::memcpy(batch[int64_t(i)].data_ptr<float>(), windows[i].values.data(), windows[i].values.size() * sizeof(float));
  }
  return batch;
}

}  // namespace soundlens::detail
