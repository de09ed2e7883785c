#include "model/calibrated_model.h"

#include <torch/torch.h>

#include <cmath>

#include "core/error.h"
#include "model/detail/wrapped_network.h"

namespace soundlens {
namespace {

class CalibratedModel : public detail::WrappedNetwork {
 public:
  CalibratedModel(std::shared_ptr<const Model> base, std::vector<ClassCalibration> classes, const std::string& description,
                  nlohmann::json summary)
      : WrappedNetwork(base, base->info()), classes_(std::move(classes)), summary_(std::move(summary)) {
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

  torch::Tensor head(const torch::Tensor& maps) const override { return base_network().head(maps) * scale_ + shift_; }

  const std::shared_ptr<const Model>& uncalibrated() const { return base(); }
  const std::vector<ClassCalibration>& classes() const { return classes_; }
  const nlohmann::json& summary() const { return summary_; }

 private:
  std::vector<ClassCalibration> classes_;
  nlohmann::json summary_;
  torch::Tensor scale_, shift_;
};

}  // namespace

std::shared_ptr<const Model> make_calibrated_model(std::shared_ptr<const Model> base,
                                                   const std::vector<ClassCalibration>& classes,
                                                   const std::string& description, nlohmann::json summary) {
  return std::make_shared<const CalibratedModel>(std::move(base), classes, description, std::move(summary));
}

const Model* calibrated_base(const Model& model) {
  const auto* c = dynamic_cast<const CalibratedModel*>(&model);
  return c ? c->uncalibrated().get() : nullptr;
}

std::shared_ptr<const Model> uncalibrated_model(const Model& model) {
  const auto* c = dynamic_cast<const CalibratedModel*>(&model);
  return c ? c->uncalibrated() : nullptr;
}

const nlohmann::json* calibration_summary_of(const Model& model) {
  const auto* c = dynamic_cast<const CalibratedModel*>(&model);
  return c && !c->summary().is_null() ? &c->summary() : nullptr;
}

const std::vector<ClassCalibration>* calibration_of(const Model& model) {
  const auto* c = dynamic_cast<const CalibratedModel*>(&model);
  return c ? &c->classes() : nullptr;
}

}  // namespace soundlens
