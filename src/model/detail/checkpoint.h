#pragma once
// Internal to the model stage (Torch types): reading PyTorch checkpoints.
#include <torch/torch.h>

#include <map>
#include <string>

namespace soundlens::detail {

using StateDict = std::map<std::string, torch::Tensor>;

// Reads a torch.save zip file and returns its state dict: the top-level dict
// itself, or its "model" / "state_dict" entry when it has one (the PANNs
// layout). Plain dicts and collections.OrderedDict are both accepted, which
// torch::pickle_load in LibTorch 1.13 cannot do. Throws Error(model_not_loaded).
StateDict read_checkpoint(const std::string& path);

// Throws a clear Error when a tensor is missing or has another shape.
const torch::Tensor& require(const StateDict& dict, const std::string& key,
                             const std::vector<int64_t>& expected_shape = {});

}  // namespace soundlens::detail
