#include "explain/detail/torch_explain.h"

#include "core/error.h"

namespace soundlens::detail {

void check_targets(std::span<const ExplainTarget> targets, int num_classes) {
  const auto range = "between 0 and " + std::to_string(num_classes - 1);
  for (const auto& t : targets) {
    if (t.class_index < 0 || t.class_index >= num_classes)
      throw Error(ErrorCode::bad_request, "class " + std::to_string(t.class_index) + " is not " + range);
    if (t.contrast_index >= num_classes)
      throw Error(ErrorCode::bad_request, "contrast class " + std::to_string(t.contrast_index) + " is not " + range);
    if (t.contrast_index == t.class_index)
      throw Error(ErrorCode::bad_request, "the contrast class must differ from the explained class (both " +
                                              std::to_string(t.class_index) + ")");
  }
}

const TorchForwardPass& torch_pass(const ForwardPass& pass, const std::string& method) {
  const auto* p = dynamic_cast<const TorchForwardPass*>(&pass);
  if (p == nullptr) throw Error(ErrorCode::internal, method + " needs a LibTorch forward pass");
  return *p;
}

const StagedNetwork& staged_network(const TorchForwardPass& pass, const std::string& method) {
  if (pass.network() == nullptr)
    throw Error(ErrorCode::bad_request, method + " is not available for this model (it names no layers)");
  return *pass.network();
}

torch::Tensor target_score(const torch::Tensor& logits, const ExplainTarget& target) {
  auto score = logits.select(1, target.class_index);
  return target.contrast_index >= 0 ? score - logits.select(1, target.contrast_index) : score;
}

std::vector<CamGrid> to_grids(const torch::Tensor& maps, int frames_per_column, double mel_bins_per_row) {
  const auto m = maps.to(torch::kFloat).contiguous();
  const int windows = int(m.size(0)), rows = int(m.size(1)), cols = int(m.size(2));
  std::vector<CamGrid> out;
  for (int w = 0; w < windows; ++w) {
    const float* p = m[w].data_ptr<float>();
    CamGrid g;
    g.rows = rows;
    g.cols = cols;
    g.frames_per_column = frames_per_column;
    g.mel_bins_per_row = mel_bins_per_row;
    g.values.assign(p, p + std::size_t(rows) * cols);
    out.push_back(std::move(g));
  }
  return out;
}

const ExplainableLayer& explainable_layer(const ModelInfo& info, const std::string& name) {
  for (const auto& l : info.explainable_layers)
    if (l.name == name) return l;
  throw Error(ErrorCode::internal, "model " + info.name + " does not declare the layer " + name);
}

}  // namespace soundlens::detail

namespace soundlens::detail {

LastLayerGradients last_layer_gradients(const TorchForwardPass& pass, std::span<const ExplainTarget> targets) {
  torch::AutoGradMode grad_mode(true);
  // The backbone's output is a leaf: each target needs only the head's backward pass.
  auto maps = pass.feature_maps().detach().requires_grad_(true);
  auto logits = pass.head(maps);
  LastLayerGradients out;
  for (const auto& t : targets) {
    // Windows are independent, so the gradient of the sum gives each window its own.
    out.grads.push_back(
        torch::autograd::grad({target_score(logits, t).sum()}, {maps}, {}, /*retain_graph=*/true)[0]);
  }
  out.maps = maps.detach();
  return out;
}

}  // namespace soundlens::detail
