#include "model/trained_model.h"

#include <torch/torch.h>

#include <limits>

#include "core/error.h"
#include "model/detail/wrapped_network.h"

namespace soundlens {
namespace {

torch::Tensor tensor_of(const std::vector<float>& values, torch::IntArrayRef shape) {
  return torch::from_blob(const_cast<float*>(values.data()), shape, torch::kFloat).clone();
}

class TrainedModel : public detail::WrappedNetwork {
 public:
  TrainedModel(std::shared_ptr<const Model> base, TrainedHead head, ModelInfo info, std::vector<EventThreshold> thresholds)
      : WrappedNetwork(base, std::move(info)), parts_{std::move(base), std::move(head), std::move(thresholds)} {
    const auto& h = parts_.head;
    mean_ = tensor_of(h.mean, {h.inputs()});
    scale_ = tensor_of(h.scale, {h.inputs()});
    for (const auto& l : h.layers) layers_.emplace_back(tensor_of(l.weight, {l.outputs, l.inputs}), tensor_of(l.bias, {l.outputs}));
    if (h.multi_label && !h.platt_a.empty()) {
      platt_a_ = tensor_of(h.platt_a, {h.classes()});
      platt_b_ = tensor_of(h.platt_b, {h.classes()});
    }
    if (!h.multi_label) {  // row i masks score i out of class i's "all the others"
      const int scores = h.scores(), classes = h.classes();
      others_mask_ = torch::zeros({classes, scores});
      for (int c = 0; c < classes; ++c) others_mask_[c][c] = -std::numeric_limits<float>::infinity();
    }
    info_.num_classes = info_.network_classes = h.classes();
    if (int(info_.class_names.size()) != h.classes())
      throw Error(ErrorCode::bad_request, "the trained head has " + std::to_string(h.classes()) + " classes but " +
                                              std::to_string(info_.class_names.size()) + " labels");
    if (h.inputs() != parts_.base->info().embedding_size)
      throw Error(ErrorCode::bad_request, "the trained head takes embeddings of " + std::to_string(h.inputs()) +
                                              " values; " + parts_.base->info().name + " gives " +
                                              std::to_string(parts_.base->info().embedding_size));
  }

  torch::Tensor head(const torch::Tensor& maps) const override {
    auto x = (embedding(maps) - mean_) * scale_;
    for (std::size_t l = 0; l < layers_.size(); ++l) {
      x = torch::addmm(layers_[l].second, x, layers_[l].first.t());
      if (l + 1 < layers_.size()) x = torch::relu(x);
    }
    const auto& h = parts_.head;
    if (h.multi_label) return platt_a_.defined() ? x * platt_a_ + platt_b_ : x;
    const auto t = x / h.temperature;                                   // (windows, scores)
    const auto others = torch::logsumexp(t.unsqueeze(1) + others_mask_, 2);  // (windows, classes)
    return t.slice(1, 0, h.classes()) - others;
  }

  const TrainedModelParts& parts() const { return parts_; }

 private:
  TrainedModelParts parts_;
  torch::Tensor mean_, scale_, platt_a_, platt_b_, others_mask_;
  std::vector<std::pair<torch::Tensor, torch::Tensor>> layers_;
};

}  // namespace

std::shared_ptr<const Model> make_trained_model(std::shared_ptr<const Model> base, TrainedHead head, ModelInfo info,
                                               std::vector<EventThreshold> event_thresholds) {
  return std::make_shared<const TrainedModel>(std::move(base), std::move(head), std::move(info),
                                              std::move(event_thresholds));
}

const TrainedModelParts* trained_parts(const Model& model) {
  const auto* trained = dynamic_cast<const TrainedModel*>(&model);
  return trained ? &trained->parts() : nullptr;
}

}  // namespace soundlens
