#include "model/detail/wrapped_network.h"

#include "core/error.h"
#include "model/detail/layers.h"
#include "model/detail/torch_forward.h"

namespace soundlens::detail {

WrappedNetwork::WrappedNetwork(std::shared_ptr<const Model> base, ModelInfo info)
    : info_(std::move(info)), base_(std::move(base)), net_(dynamic_cast<const StagedNetwork*>(base_.get())) {
  if (!net_) throw Error(ErrorCode::bad_request, "the model '" + base_->info().name + "' cannot take another head");
}

std::unique_ptr<ForwardPass> WrappedNetwork::forward(std::span<const MelSpectrogram> windows) const {
  return staged_forward(*this, stack_spectrograms(windows), info_.explainable_layers);
}

}  // namespace soundlens::detail
