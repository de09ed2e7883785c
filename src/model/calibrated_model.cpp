#include "model/calibrated_model.h"

#include <torch/torch.h>

#include <cmath>

#include "core/error.h"
#include "model/detail/layers.h"
#include "model/detail/staged_network.h"
#include "model/detail/torch_forward.h"

namespace soundlens {
namespace {

class CalibratedModel : public Model, public detail::StagedNetwork {
 public:
  CalibratedModel(std::shared_ptr<const Model> base, std::vector<ClassCalibration> classes, const std::string& description)
      : base_(std::move(base)), classes_(std::move(classes)), info_(base_->info()) {
    net_ = dynamic_cast<const detail::StagedNetwork*>(base_.get());
    if (!net_) throw Error(ErrorCode::bad_request, "the model '" + info_.name + "' cannot be calibrated");
    const int n = info_.num_classes;
    scale_ = torch::ones({n});
    shift_ = torch::zeros({n});
    for (const auto& c : classes_) {
      if (c.index < 0 || c.index >= n)
        throw Error(ErrorCode::bad_request, "the calibration names class " + std::to_string(c.index) + ", which " +
                                                info_.name + " does not have");
      if (!(c.a > 0) || !std::isfinite(c.b))
        throw Error(ErrorCode::bad_request, "the calibration of class " + std::to_string(c.index) +
                                                " has a slope that is not positive or an offset that is not finite");
      scale_[c.index] = float(c.a);
      shift_[c.index] = float(c.b);
    }
    if (!description.empty()) info_.architecture += ", " + description;
  }

  const ModelInfo& info() const override { return info_; }
  const FrontEnd& frontend() const override { return base_->frontend(); }
  std::unique_ptr<ForwardPass> forward(std::span<const MelSpectrogram> windows) const override {
    return detail::staged_forward(*this, detail::stack_spectrograms(windows), info_.explainable_layers);
  }
  const std::vector<std::string>& stage_names() const override { return net_->stage_names(); }
  torch::Tensor run_stage(int index, const torch::Tensor& x) const override { return net_->run_stage(index, x); }
  torch::Tensor to_map(const torch::Tensor& stage_output) const override { return net_->to_map(stage_output); }
  torch::Tensor embedding(const torch::Tensor& maps) const override { return net_->embedding(maps); }
  torch::Tensor head(const torch::Tensor& maps) const override { return net_->head(maps) * scale_ + shift_; }

  const Model& base() const { return *base_; }
  const std::vector<ClassCalibration>& classes() const { return classes_; }

 private:
  std::shared_ptr<const Model> base_;
  std::vector<ClassCalibration> classes_;
  ModelInfo info_;
  const detail::StagedNetwork* net_ = nullptr;
  torch::Tensor scale_, shift_;
};

}  // namespace

std::shared_ptr<const Model> make_calibrated_model(std::shared_ptr<const Model> base,
                                                   const std::vector<ClassCalibration>& classes,
                                                   const std::string& description) {
  return std::make_shared<const CalibratedModel>(std::move(base), classes, description);
}

const Model* calibrated_base(const Model& model) {
  const auto* c = dynamic_cast<const CalibratedModel*>(&model);
  return c ? &c->base() : nullptr;
}

const std::vector<ClassCalibration>* calibration_of(const Model& model) {
  const auto* c = dynamic_cast<const CalibratedModel*>(&model);
  return c ? &c->classes() : nullptr;
}

}  // namespace soundlens
