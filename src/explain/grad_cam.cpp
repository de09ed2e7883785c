#include "explain/grad_cam.h"

#include <torch/torch.h>

#include "core/error.h"
#include "model/detail/torch_forward.h"

namespace soundlens {

std::vector<std::vector<CamGrid>> grad_cam(const ForwardPass& pass, std::span<const int> classes) {
  const auto* torch_pass = dynamic_cast<const detail::TorchForwardPass*>(&pass);
  if (torch_pass == nullptr) throw Error(ErrorCode::internal, "Grad-CAM needs a LibTorch forward pass");
  torch::AutoGradMode grad_mode(true);
  // Only the head runs again, with gradients: the backbone's output is a leaf.
  auto maps = torch_pass->feature_maps().detach().requires_grad_(true);
  auto logits = torch_pass->head(maps);
  const int windows = int(maps.size(0)), rows = int(maps.size(2)), cols = int(maps.size(3));
  std::vector<std::vector<CamGrid>> out;
  for (int c : classes) {
    if (c < 0 || c >= logits.size(1)) throw Error(ErrorCode::not_found, "no class " + std::to_string(c));
    // Windows are independent, so the gradient of the sum gives each window its own.
    auto grad = torch::autograd::grad({logits.select(1, c).sum()}, {maps}, {}, /*retain_graph=*/true)[0];
    torch::NoGradGuard no_grad;
    auto weights = grad.mean({2, 3}, /*keepdim=*/true);
    auto cam = torch::relu((weights * maps).sum(1)).contiguous();  // (windows, rows, cols)
    std::vector<CamGrid> per_window;
    for (int w = 0; w < windows; ++w) {
      const float* p = cam[w].data_ptr<float>();
      per_window.push_back({rows, cols, std::vector<float>(p, p + rows * cols)});
    }
    out.push_back(std::move(per_window));
  }
  return out;
}

}  // namespace soundlens
