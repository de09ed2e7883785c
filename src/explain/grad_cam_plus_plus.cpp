// Grad-CAM++ (Chattopadhay et al. 2018) on the last conv block, in the closed
// form the paper derives for an exponential score S = exp(Y) (its eq. 19):
// the second and third derivatives of S become powers of the first derivative
// g = dY/dA, so
//   alpha_kij = g^2 / (2 g^2 + sum_ab A_kab g^3)   (0 where the denominator is 0)
//   w_k = sum_ij alpha_kij ReLU(g_kij),  map = ReLU(sum_k w_k A_k).
// The common factor exp(Y) of dS/dA is left out of w_k, as in Grad-CAM, so
// that windows keep comparable scales when they are stitched. Y is the logit
// (or logit(A) - logit(B) for a contrast).
#include "explain/detail/methods.h"
#include "explain/detail/torch_explain.h"

namespace soundlens {
namespace {

class GradCamPlusPlus : public ExplanationMethod {
 public:
  std::string name() const override { return "gradcam++"; }
  std::vector<std::string> layers(const ModelInfo& info) const override { return {info.cam_layer}; }

  std::vector<std::vector<CamGrid>> compute(const Model& model, const ForwardPass& pass,
                                            std::span<const MelSpectrogram>,
                                            std::span<const ExplainTarget> targets,
                                            const CancelToken*) const override {
    const auto& info = model.info();
    detail::check_targets(targets, info.num_classes);
    const auto g = detail::last_layer_gradients(detail::torch_pass(pass, name()), targets);
    torch::NoGradGuard no_grad;
    const auto area = g.maps.sum({2, 3}, /*keepdim=*/true);
    std::vector<std::vector<CamGrid>> out;
    for (const auto& grad : g.grads) {
      const auto g2 = grad * grad;
      const auto denominator = 2 * g2 + area * g2 * grad;
      const auto alpha = g2 / torch::where(denominator != 0, denominator, torch::ones_like(denominator));
      const auto weights = (alpha * torch::relu(grad)).sum({2, 3}, /*keepdim=*/true);
      out.push_back(detail::to_grids(torch::relu((weights * g.maps).sum(1)), info.time_stride, info.freq_stride));
    }
    return out;
  }
};

}  // namespace

namespace detail {
std::unique_ptr<ExplanationMethod> make_grad_cam_plus_plus() { return std::make_unique<GradCamPlusPlus>(); }
}  // namespace detail

}  // namespace soundlens
