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
// Shared, so that copying a value (the memo's GET pushes a copy) costs the
// same for a long string as for a short one: a small pickle cannot make the
// reader allocate gigabytes by fetching one long string again and again.
using PickleString = std::shared_ptr<const std::string>;

struct PickleGlobal {  // module and name are short: the reader refuses long ones
  std::string module, name;
  std::string qualified() const { return module + "." + name; }
};
struct PickleOpaque {  // an object we do not need (optimizer state, sampler, ...)
  std::string type;
};
struct PickleMark {};

struct PickleValue {
  std::variant<std::monostate, bool, int64_t, double, PickleString, PickleGlobal, PickleOpaque, PickleMark,
               torch::Tensor, std::shared_ptr<PickleList>, std::shared_ptr<PickleDict>>
      v;

  template <class T> bool is() const { return std::holds_alternative<T>(v); }
  // Throws std::bad_variant_access for another kind: malformed input is an error, never UB.
  template <class T> const T& as() const { return std::get<T>(v); }
  bool is_string() const { return is<PickleString>(); }
  const std::string& string() const { return *as<PickleString>(); }
};

}  // namespace soundlens::detail
