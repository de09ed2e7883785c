#include "model/detail/layers.h"

#include <cstring>

#include "core/error.h"

namespace soundlens::detail {

torch::Tensor FusedConv::operator()(const torch::Tensor& x) const {
  if (method != ConvMethod::gemm) return torch::conv2d(x, weight, bias, stride, padding, /*dilation=*/1, groups);
  const auto b = x.size(0), h = x.size(2), w = x.size(3);
  const auto out_h = (h + 2 * padding - kernel) / stride + 1, out_w = (w + 2 * padding - kernel) / stride + 1;
  torch::Tensor rows;  // (b, positions, in * kernel * kernel)
  if (kernel == 1 && stride == 1)
    rows = x.permute({0, 2, 3, 1}).reshape({b, h * w, x.size(1)});  // free on channels-last input
  else
    rows = torch::im2col(x, {kernel, kernel}, {1, 1}, {padding, padding}, {stride, stride}).transpose(1, 2);
  // Positions x outputs is the channels-last layout: no copy to get back to NCHW views.
  auto y = b == 1 ? torch::addmm(bias, rows.squeeze(0), matrix).unsqueeze(0) : torch::matmul(rows, matrix).add_(bias);
  return y.view({b, out_h, out_w, matrix.size(1)}).permute({0, 3, 1, 2});
}

FusedConv fuse_conv_bn(const StateDict& dict, const std::string& conv_key, const std::string& bn_key, double eps,
                       int64_t stride, int64_t padding, int64_t groups, ConvMethod method) {
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
  conv.bias = (beta.to(torch::kDouble) - mean.to(torch::kDouble) * scale).to(torch::kFloat).contiguous();
  // A grouped (depthwise) convolution is no single matrix product.
  conv.method = groups > 1 && method == ConvMethod::gemm ? ConvMethod::direct_channels_last : method;
  conv.weight = conv.method == ConvMethod::direct ? conv.weight.contiguous()
                                                  : conv.weight.contiguous(torch::MemoryFormat::ChannelsLast);
  if (conv.method == ConvMethod::gemm) conv.matrix = conv.weight.reshape({out_channels, -1}).t().contiguous();
  conv.kernel = w.size(2);
  conv.stride = stride;
  conv.padding = padding;
  conv.groups = groups;
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
