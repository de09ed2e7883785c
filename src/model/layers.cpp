#include "model/detail/layers.h"

#include <cstring>

#include "core/error.h"

namespace soundlens::detail {

FusedConv fuse_conv_bn(const StateDict& dict, const std::string& conv_key, const std::string& bn_key, double eps,
                       int64_t stride, int64_t padding, int64_t groups) {
  const auto& w = require(dict, conv_key + ".weight");
  const auto out_channels = w.size(0);
  const auto& gamma = require(dict, bn_key + ".weight", {out_channels});
  const auto& beta = require(dict, bn_key + ".bias", {out_channels});
  const auto& mean = require(dict, bn_key + ".running_mean", {out_channels});
  const auto& var = require(dict, bn_key + ".running_var", {out_channels});
  // Folding in double keeps the fused weights within float rounding of the reference.
  const auto scale = gamma.to(torch::kDouble) / (var.to(torch::kDouble) + eps).sqrt();
  FusedConv conv;
  conv.weight = (w.to(torch::kDouble) * scale.view({-1, 1, 1, 1}))
                    .to(torch::kFloat)
                    .contiguous(torch::MemoryFormat::ChannelsLast);
  conv.bias = (beta.to(torch::kDouble) - mean.to(torch::kDouble) * scale).to(torch::kFloat).contiguous();
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
