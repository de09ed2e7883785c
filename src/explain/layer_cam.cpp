// Layer-CAM (Jiang et al. 2021): at each layer, ReLU(sum_k ReLU(g_k) * A_k)
// element-wise, g = d score / d A. Computed at every explainable layer of the
// model (mn04_as: features.6, .12, .16; cnn14: conv_block3 to conv_block6) and
// fused at the finest: each layer's map is divided by its maximum over the
// windows explained together, upsampled bilinearly (align_corners = false) to
// the finest layer's grid, and the fused map is the element-wise maximum.
//
// The backbone does not run again from the input: the pass recorded the
// finest layer's activations, and only the stages after it run again, with
// gradients, once per group of targets (the groups side by side, one per
// inference thread).
#include <torch/nn/functional.h>

#include "core/error.h"
#include "explain/detail/methods.h"
#include "explain/detail/torch_explain.h"
#include "model/inference_workers.h"

namespace soundlens {
namespace {

// Each layer's map ReLU(sum_k ReLU(g_k) A_k) divided by its maximum, upsampled to the finest layer's
// grid, and the element-wise maximum of them: (windows, rows, cols).
torch::Tensor fused_map(const detail::StagedNetwork& net, const std::vector<torch::Tensor>& activations,
                        const std::vector<torch::Tensor>& gradients) {
  torch::Tensor fused;
  for (size_t l = 0; l < activations.size(); ++l) {
    auto a = net.to_map(activations[l].detach()), g = net.to_map(gradients[l]);
    auto cam = torch::relu((torch::relu(g) * a).sum(1, /*keepdim=*/true));  // (windows, 1, rows, cols)
    const auto peak = cam.max();
    if (peak.item<float>() > 0) cam = cam / peak;
    if (l == 0) {
      fused = cam;
      continue;
    }
    namespace F = torch::nn::functional;
    cam = F::interpolate(cam, F::InterpolateFuncOptions()
                                  .size(std::vector<int64_t>{fused.size(2), fused.size(3)})
                                  .mode(torch::kBilinear)
                                  .align_corners(false));
    fused = torch::maximum(fused, cam);
  }
  return fused.squeeze(1);
}

class LayerCam : public ExplanationMethod {
 public:
  std::string name() const override { return "layercam"; }
  std::vector<std::string> layers(const ModelInfo& info) const override {
    std::vector<std::string> names;
    for (const auto& l : info.explainable_layers) names.push_back(l.name);
    return names;
  }

  std::vector<std::vector<CamGrid>> compute(const Model& model, const ForwardPass& pass,
                                            std::span<const MelSpectrogram>,
                                            std::span<const ExplainTarget> targets,
                                            const CancelToken*) const override {
    const auto& info = model.info();
    detail::check_targets(targets, info.num_classes);
    const auto& tp = detail::torch_pass(pass, name());
    const auto& net = detail::staged_network(tp, name());
    if (info.explainable_layers.empty()) throw Error(ErrorCode::bad_request, "the model names no layers for " + name());
    const auto& finest = info.explainable_layers.front();
    auto start = tp.recorded(finest.name);
    if (!start.defined()) throw Error(ErrorCode::internal, "the pass did not record " + finest.name);

    std::vector<int> taps;
    for (const auto& l : info.explainable_layers) taps.push_back(net.stage_index(l.name));
    // The targets in as many groups as there are inference threads, side by side: each group runs the
    // stages after the finest layer once and goes back through them once per target.
    const int groups = std::min<int>(inference_threads(), int(targets.size()));
    std::vector<std::vector<CamGrid>> out(targets.size());
    for_each_piece_side_by_side(groups, [&](int group) {
      torch::AutoGradMode grad_mode(true);
      auto leaf = start.detach().requires_grad_(true);
      auto run = detail::run_stages(net, taps.front() + 1, leaf, taps);
      for (size_t t = size_t(group); t < targets.size(); t += size_t(groups)) {
        auto grads = torch::autograd::grad({detail::target_score(run.logits, targets[t]).sum()}, run.taps, {},
                                           /*retain_graph=*/t + size_t(groups) < targets.size());
        torch::NoGradGuard no_grad;
        out[t] = detail::to_grids(fused_map(net, run.taps, grads), finest.time_stride, finest.freq_stride);
      }
    });
    return out;
  }
};

}  // namespace

namespace detail {
std::unique_ptr<ExplanationMethod> make_layer_cam() { return std::make_unique<LayerCam>(); }
}  // namespace detail

}  // namespace soundlens
