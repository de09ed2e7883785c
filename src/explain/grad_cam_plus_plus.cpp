// Grad-CAM++ (Chattopadhay et al. 2018) on the last conv block, in the closed
// form the paper derives for an exponential score S = exp(Y) (its eq. 19):
// the second and third derivatives of S become powers of the first derivative
// g = dY/dA, so
//   alpha_kij = g^2 / (2 g^2 + sum_ab A_kab g^3)   (0 where the denominator is 0)
//   w_k = sum_ij alpha_kij ReLU(g_kij),  map = ReLU(sum_k w_k A_k).
// The common factor exp(Y) of dS/dA is left out of w_k, as in Grad-CAM, so
// that windows keep comparable scales when they are stitched. Y is the logit
// (or logit(A) - logit(B) for a contrast).
#include "explain/detail/last_layer_cam.h"
#include "explain/detail/methods.h"

namespace soundlens {
namespace {

torch::Tensor plus_plus_weights(const torch::Tensor& grad, const torch::Tensor& maps) {
  const auto area = maps.sum({2, 3}, /*keepdim=*/true);
  const auto g2 = grad * grad;
  const auto denominator = 2 * g2 + area * g2 * grad;
  const auto alpha = g2 / torch::where(denominator != 0, denominator, torch::ones_like(denominator));
  return (alpha * torch::relu(grad)).sum({2, 3}, /*keepdim=*/true);
}

}  // namespace

namespace detail {
std::unique_ptr<ExplanationMethod> make_grad_cam_plus_plus() {
  return std::make_unique<LastLayerCam>("gradcam++", plus_plus_weights);
}
}  // namespace detail

}  // namespace soundlens
