// Layer-CAM (Jiang et al. 2021): at each layer, ReLU(sum_k ReLU(g_k) * A_k)
// element-wise, g = d score / d A. Computed at every explainable layer of the
// model (mn04_as: features.6, .12, .16; cnn14: conv_block3 to conv_block6) and
// fused at the finest: each layer's map is divided by its maximum over the
// windows explained together, upsampled bilinearly (align_corners = false) to
// the finest layer's grid, and the fused map is the element-wise maximum.
//
// The backbone does not run again from the input: the pass recorded the
// finest layer's activations, and only the stages after it run again, with
// gradients, once for all targets.
#include <torch/nn/functional.h>

#include "core/error.h"
#include "explain/detail/methods.h"
#include "explain/detail/torch_explain.h"

namespace soundlens {
namespace {

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
    torch::AutoGradMode grad_mode(true);
    auto leaf = start.detach().requires_grad_(true);
    auto run = detail::run_stages(net, taps.front() + 1, leaf, taps);

    std::vector<std::vector<CamGrid>> out;
    for (const auto& t : targets) {
      auto grads = torch::autograd::grad({detail::target_score(run.logits, t).sum()}, run.taps, {},
                                         /*retain_graph=*/true);
      torch::NoGradGuard no_grad;
      torch::Tensor fused;
      for (size_t l = 0; l < taps.size(); ++l) {
        auto a = net.to_map(run.taps[l].detach()), g = net.to_map(grads[l]);
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
      out.push_back(detail::to_grids(fused.squeeze(1), finest.time_stride, finest.freq_stride));
    }
    return out;
  }
};

}  // namespace

namespace detail {
std::unique_ptr<ExplanationMethod> make_layer_cam() { return std::make_unique<LayerCam>(); }
}  // namespace detail

}  // namespace soundlens
