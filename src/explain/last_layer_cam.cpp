#include "explain/detail/last_layer_cam.h"

#include <algorithm>

#include "core/error.h"

namespace soundlens::detail {
namespace {

// sum_k a[k] b[k] in a fixed order (eight running sums), whatever else is computed beside it.
float dot(const float* a, const float* b, std::size_t n) {
  float s[8] = {};
  std::size_t k = 0;
  for (; k + 8 <= n; k += 8)
    for (std::size_t j = 0; j < 8; ++j) s[j] += a[k + j] * b[k + j];
  float total = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
  for (; k < n; ++k) total += a[k] * b[k];
  return total;
}

// ReLU(sum_k w_k A_k) per target and window, for channel weights w the same at every cell
// (per_channel[t]: (windows or 1, channels)). Plain loops for all targets instead of a few tensor
// operations per target: a stream follows dozens of classes through an hour, and those operations cost
// more than the arithmetic (about 56 us a target per batch of 8 YAMNet patches). Each value is summed
// over the channels in a fixed order, so a target's map is the same whichever targets are beside it.
std::vector<std::vector<CamGrid>> cams_of_channel_weights(const torch::Tensor& maps,
                                                          const std::vector<torch::Tensor>& per_channel,
                                                          int frames_per_column, double mel_bins_per_row) {
  const int64_t windows = maps.size(0), channels = maps.size(1), rows = maps.size(2), cols = maps.size(3);
  const int64_t cells = rows * cols;
  // Channels-last maps (YAMNet's) are read as they are, a dot product per cell; the others as
  // (windows, channels, cells), each channel's row added in turn.
  const auto last = maps.permute({0, 2, 3, 1});
  const bool channels_last = last.is_contiguous() && maps.scalar_type() == torch::kFloat;
  const auto values = channels_last ? last : maps.to(torch::kFloat).contiguous();
  const float* a = values.data_ptr<float>();
  std::vector<float> sum(std::size_t(cells), 0.0f);
  std::vector<std::vector<CamGrid>> out;
  for (const auto& weights : per_channel) {
    const auto w = weights.to(torch::kFloat).contiguous();
    if (w.dim() != 2 || w.size(1) != channels || (w.size(0) != 1 && w.size(0) != windows))
      throw Error(ErrorCode::internal, "Grad-CAM: channel weights do not match the maps");
    std::vector<CamGrid> grids;
    for (int64_t n = 0; n < windows; ++n) {
      const float* wn = w.data_ptr<float>() + (w.size(0) == 1 ? 0 : n * channels);
      const float* an = a + n * cells * channels;
      if (channels_last) {
        for (int64_t c = 0; c < cells; ++c) sum[std::size_t(c)] = dot(an + c * channels, wn, std::size_t(channels));
      } else {
        std::fill(sum.begin(), sum.end(), 0.0f);
        for (int64_t k = 0; k < channels; ++k) {
          const float wk = wn[k], *row = an + k * cells;
          for (int64_t c = 0; c < cells; ++c) sum[std::size_t(c)] += wk * row[c];
        }
      }
      CamGrid g;
      g.rows = int(rows);
      g.cols = int(cols);
      g.frames_per_column = frames_per_column;
      g.mel_bins_per_row = mel_bins_per_row;
      g.values.resize(std::size_t(cells));
      for (int64_t c = 0; c < cells; ++c) g.values[std::size_t(c)] = std::max(0.0f, sum[std::size_t(c)]);
      grids.push_back(std::move(g));
    }
    out.push_back(std::move(grids));
  }
  return out;
}

}  // namespace

std::vector<std::vector<CamGrid>> last_layer_cam(const TorchForwardPass& pass, std::span<const ExplainTarget> targets,
                                                 int num_classes, ChannelWeights weights, int frames_per_column,
                                                 double mel_bins_per_row) {
  check_targets(targets, num_classes);
  const auto g = last_layer_gradients(pass, targets);
  torch::NoGradGuard no_grad;
  if (weights == &mean_gradient && !g.per_channel.empty())
    return cams_of_channel_weights(g.maps, g.per_channel, frames_per_column, mel_bins_per_row);
  std::vector<std::vector<CamGrid>> out;
  for (const auto& grad : g.grads)
    out.push_back(to_grids(torch::relu((weights(grad, g.maps) * g.maps).sum(1)), frames_per_column, mel_bins_per_row));
  return out;
}

torch::Tensor mean_gradient(const torch::Tensor& grad, const torch::Tensor& /*maps*/) {
  return grad.mean({2, 3}, /*keepdim=*/true);
}

std::vector<std::vector<CamGrid>> LastLayerCam::compute(const Model& model, const ForwardPass& pass,
                                                        std::span<const MelSpectrogram>,
                                                        std::span<const ExplainTarget> targets,
                                                        const CancelToken*) const {
  const auto& info = model.info();
  return last_layer_cam(torch_pass(pass, name_), targets, info.num_classes, weights_, info.time_stride,
                        info.freq_stride);
}

}  // namespace soundlens::detail
