// Grad-CAM (Selvaraju et al. 2017) on the last conv block: channel weights are
// the spatial mean of the score's gradient, the map is ReLU(sum_k w_k A_k).
#include "explain/grad_cam.h"

#include "explain/detail/methods.h"
#include "explain/detail/torch_explain.h"

namespace soundlens {
namespace {

class GradCam : public ExplanationMethod {
 public:
  std::string name() const override { return "gradcam"; }
  std::vector<std::string> layers(const ModelInfo& info) const override { return {info.cam_layer}; }

  std::vector<std::vector<CamGrid>> compute(const Model& model, const ForwardPass& pass,
                                            std::span<const MelSpectrogram>,
                                            std::span<const ExplainTarget> targets,
                                            const CancelToken*) const override {
    const auto& info = model.info();
    detail::check_targets(targets, info.num_classes);
    const auto g = detail::last_layer_gradients(detail::torch_pass(pass, name()), targets);
    torch::NoGradGuard no_grad;
    std::vector<std::vector<CamGrid>> out;
    for (const auto& grad : g.grads) {
      auto weights = grad.mean({2, 3}, /*keepdim=*/true);
      out.push_back(detail::to_grids(torch::relu((weights * g.maps).sum(1)), info.time_stride, info.freq_stride));
    }
    return out;
  }
};

}  // namespace

namespace detail {
std::unique_ptr<ExplanationMethod> make_grad_cam() { return std::make_unique<GradCam>(); }
}  // namespace detail

std::vector<std::vector<CamGrid>> grad_cam(const ForwardPass& pass, std::span<const int> classes) {
  std::vector<ExplainTarget> targets;
  for (int c : classes) targets.push_back({c, -1});
  const auto& p = detail::torch_pass(pass, "Grad-CAM");
  detail::check_targets(targets, int(p.logits_tensor().size(1)));
  const auto g = detail::last_layer_gradients(p, targets);
  torch::NoGradGuard no_grad;
  std::vector<std::vector<CamGrid>> out;
  for (const auto& grad : g.grads)
    out.push_back(detail::to_grids(torch::relu((grad.mean({2, 3}, true) * g.maps).sum(1)), 1, 1));
  return out;
}

}  // namespace soundlens
