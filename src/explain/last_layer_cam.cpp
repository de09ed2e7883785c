#include "explain/detail/last_layer_cam.h"

namespace soundlens::detail {

std::vector<std::vector<CamGrid>> last_layer_cam(const TorchForwardPass& pass, std::span<const ExplainTarget> targets,
                                                 int num_classes, ChannelWeights weights, int frames_per_column,
                                                 double mel_bins_per_row) {
  check_targets(targets, num_classes);
  const auto g = last_layer_gradients(pass, targets);
  torch::NoGradGuard no_grad;
  std::vector<std::vector<CamGrid>> out;
  for (const auto& grad : g.grads)
    out.push_back(to_grids(torch::relu((weights(grad, g.maps) * g.maps).sum(1)), frames_per_column, mel_bins_per_row));
  return out;
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
