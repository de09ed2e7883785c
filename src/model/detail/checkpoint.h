#pragma once
// Internal to the model stage (Torch types): reading PyTorch checkpoints.
#include <torch/torch.h>

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace soundlens::detail {

using StateDict = std::map<std::string, torch::Tensor>;

// Reads a torch.save zip file and returns its state dict: the top-level dict
// itself, or its "model" / "state_dict" entry when it has one (the PANNs
// layout). Plain dicts and collections.OrderedDict are both accepted, which
// torch::pickle_load in LibTorch 1.13 cannot do. Throws Error(model_not_loaded).
StateDict read_checkpoint(const std::string& path);
// The same for a checkpoint already in memory; `name` is for messages.
StateDict read_checkpoint_bytes(std::string_view bytes, const std::string& name);

// A record of the archive ("data/0", ...): its bytes and size. Throws when missing.
using RecordReader = std::function<std::pair<std::shared_ptr<const void>, std::size_t>(const std::string& name)>;

// Runs the pickle machine over `data.pkl`'s bytes, loading tensor storages
// through `records`. Any malformed or hostile input (truncated, unknown
// opcode, wrong types, tensors outside their storage, ...) is
// Error(model_not_loaded) naming `name`; nothing is read outside `pickle`.
StateDict state_dict_from_pickle(std::string_view pickle, const RecordReader& records, const std::string& name);

// Throws a clear Error when a tensor is missing or has another shape.
const torch::Tensor& require(const StateDict& dict, const std::string& key,
                             const std::vector<int64_t>& expected_shape = {});

}  // namespace soundlens::detail
