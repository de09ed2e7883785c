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
  LastLayerGradients out;
  out.maps = pass.feature_maps().detach();
  if (targets.empty()) return out;
  if (const auto& w = pass.pooled_linear_head(); w.defined()) {
    // logits = mean(maps) W^T + b: d logit_c / d maps is W[c] / cells at every cell, as autograd would give it.
    torch::NoGradGuard no_grad;
    const double cells = double(out.maps.size(2) * out.maps.size(3));
    for (const auto& t : targets) {
      auto row = w[t.class_index];
      if (t.contrast_index >= 0) row = row - w[t.contrast_index];
      out.grads.push_back((row / cells).view({1, -1, 1, 1}).expand_as(out.maps));
    }
    return out;
  }
  torch::AutoGradMode grad_mode(true);
  // The backbone's output is a leaf: only the head runs again. One copy of the
  // maps per target, so that one backward pass gives every target its own
  // gradient (the head is cheap next to a backward call per target). Windows
  // are independent too, so the gradient of the sum gives each window its own.
  const auto n = int64_t(targets.size()), windows = out.maps.size(0);
  auto sizes = out.maps.sizes().vec();
  sizes.insert(sizes.begin(), n);
  auto copies = out.maps.unsqueeze(0).expand(sizes).contiguous().requires_grad_(true);
  auto flat = sizes;
  flat.erase(flat.begin());
  flat[0] = n * windows;
  const auto logits = pass.head(copies.view(flat));
  torch::Tensor total;
  for (int64_t t = 0; t < n; ++t) {
    const auto score = target_score(logits.slice(0, t * windows, (t + 1) * windows), targets[size_t(t)]).sum();
    total = total.defined() ? total + score : score;
  }
  const auto grads = torch::autograd::grad({total}, {copies})[0];
  for (int64_t t = 0; t < n; ++t) out.grads.push_back(grads[t]);
  return out;
}

}  // namespace soundlens::detail
