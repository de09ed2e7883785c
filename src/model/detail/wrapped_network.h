#pragma once
// Internal to the model stage (Torch types): a model made of another model's
// network with a different head (a trained head, a calibration). Everything
// but head() is the base's, so explanation methods run through both.
#include <memory>

#include "model/detail/staged_network.h"
#include "model/model.h"

namespace soundlens::detail {

class WrappedNetwork : public Model, public StagedNetwork {
 public:
  // Error(bad_request) naming the base when it is not a staged network.
  WrappedNetwork(std::shared_ptr<const Model> base, ModelInfo info);

  const ModelInfo& info() const override { return info_; }
  const FrontEnd& frontend() const override { return base_->frontend(); }
  std::unique_ptr<ForwardPass> forward(std::span<const MelSpectrogram> windows) const override;
  const std::vector<std::string>& stage_names() const override { return net_->stage_names(); }
  torch::Tensor run_stage(int index, const torch::Tensor& x) const override { return net_->run_stage(index, x); }
  torch::Tensor to_map(const torch::Tensor& stage_output) const override { return net_->to_map(stage_output); }
  torch::Tensor embedding(const torch::Tensor& maps) const override { return net_->embedding(maps); }
  LocalPrefix local_prefix() const override { return net_->local_prefix(); }

 protected:
  const std::shared_ptr<const Model>& base() const { return base_; }
  const StagedNetwork& base_network() const { return *net_; }
  ModelInfo info_;

 private:
  std::shared_ptr<const Model> base_;
  const StagedNetwork* net_ = nullptr;
};

}  // namespace soundlens::detail
