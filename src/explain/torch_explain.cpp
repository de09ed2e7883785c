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
  const std::size_t cells = std::size_t(rows) * cols;
  for (int w = 0; w < windows; ++w) {
    const float* p = m.data_ptr<float>() + std::size_t(w) * cells;  // pointer arithmetic: no tensor op per window
    CamGrid g;
    g.rows = rows;
    g.cols = cols;
    g.frames_per_column = frames_per_column;
    g.mel_bins_per_row = mel_bins_per_row;
    g.values.assign(p, p + cells);
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
      out.per_channel.push_back((row / cells).view({1, -1}));
      out.grads.push_back(out.per_channel.back().view({1, -1, 1, 1}).expand_as(out.maps));
    }
    return out;
  }
  torch::AutoGradMode grad_mode(true);
  // The backbone's output is a leaf: only the head runs again, once, and each
  // target's gradient is a backward pass of its own through it (windows are
  // independent, so the gradient of the sum over windows gives each its own).
  // A target's gradient depends on nothing but the pass and the target: the
  // same whichever other targets are explained beside it (a stream explains
  // more classes at once than the whole recording does, and both must agree).
  // When the head is f(mean over cells), the backward pass runs on the means,
  // and the gradient on the maps is f's gradient over the cell count at every
  // cell, as autograd's mean would spread it.
  const auto& pooled_head = pass.mean_pooled_head();
  const double cells = double(out.maps.size(2) * out.maps.size(3));
  const auto leaf = (pooled_head ? out.maps.mean({2, 3}) : out.maps.clone()).requires_grad_(true);
  const auto logits = pooled_head ? pooled_head(leaf) : pass.head(leaf);
  for (std::size_t t = 0; t < targets.size(); ++t) {
    auto g = torch::autograd::grad({target_score(logits, targets[t]).sum()}, {leaf}, {},
                                   /*retain_graph=*/t + 1 < targets.size())[0];
    if (pooled_head) {
      out.per_channel.push_back(g / cells);
      g = out.per_channel.back().view({g.size(0), g.size(1), 1, 1}).expand_as(out.maps);
    }
    out.grads.push_back(g);
  }
  return out;
}

}  // namespace soundlens::detail
