#pragma once
// Internal: the values a torch.save pickle is made of.
#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace soundlens::detail {

struct PickleValue;
using PickleList = std::vector<PickleValue>;
using PickleDict = std::vector<std::pair<PickleValue, PickleValue>>;

struct PickleGlobal {
  std::string module, name;
  std::string qualified() const { return module + "." + name; }
};
struct PickleOpaque {  // an object we do not need (optimizer state, sampler, ...)
  std::string type;
};
struct PickleMark {};

struct PickleValue {
  std::variant<std::monostate, bool, int64_t, double, std::string, PickleGlobal, PickleOpaque, PickleMark,
               torch::Tensor, std::shared_ptr<PickleList>, std::shared_ptr<PickleDict>>
      v;

  template <class T> bool is() const { return std::holds_alternative<T>(v); }
  template <class T> const T& as() const { return std::get<T>(v); }
};

}  // namespace soundlens::detail
