#pragma once
// Internal: the two networks, built from a checkpoint's state dict.
#include <memory>

#include "model/detail/checkpoint.h"
#include "model/model.h"

namespace soundlens::detail {

std::unique_ptr<Model> make_efficientat(const ModelInfo& info, const StateDict& dict);
std::unique_ptr<Model> make_cnn14(const ModelInfo& info, const StateDict& dict);

}  // namespace soundlens::detail
