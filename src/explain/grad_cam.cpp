// Grad-CAM (Selvaraju et al. 2017) on the last conv block: channel weights are
// the spatial mean of the score's gradient, the map is ReLU(sum_k w_k A_k).
#include "explain/grad_cam.h"

#include "explain/detail/last_layer_cam.h"
#include "explain/detail/methods.h"

namespace soundlens {

namespace detail {
std::unique_ptr<ExplanationMethod> make_grad_cam() { return std::make_unique<LastLayerCam>("gradcam", &mean_gradient); }
}  // namespace detail

std::vector<std::vector<CamGrid>> grad_cam(const ForwardPass& pass, std::span<const int> classes) {
  std::vector<ExplainTarget> targets;
  for (int c : classes) targets.push_back({c, -1});
  const auto& p = detail::torch_pass(pass, "Grad-CAM");
  return detail::last_layer_cam(p, targets, int(p.logits_tensor().size(1)), &detail::mean_gradient, 1, 1);
}

}  // namespace soundlens
