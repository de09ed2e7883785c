// The checkpoint unpickler on arbitrary pickle bytes: a state dict or a
// soundlens::Error, never a read outside the input, a leak (cycles), a stack
// overflow (deep nesting) or an exception of another type.
#include <cstdint>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string_view>

#include "core/error.h"
#include "model/detail/checkpoint.h"

namespace {

// Every storage key names a record of 256 zero bytes (64 floats), so that
// tensor rebuilding is reached; other names are missing, as in a bad archive.
std::pair<std::shared_ptr<const void>, std::size_t> record(const std::string& name) {
  static const std::uint8_t zeros[256] = {};
  if (name.size() > 40 || name.rfind("data/", 0) != 0) throw std::runtime_error("no record " + name);
  return {std::shared_ptr<const void>(zeros, [](const void*) {}), sizeof zeros};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace soundlens;
  try {
    const auto dict = soundlens::detail::state_dict_from_pickle(
        std::string_view(reinterpret_cast<const char*>(data), size), record, "fuzz.pkl");
    for (const auto& [key, tensor] : dict) (void)tensor.sum().item<double>();  // touches every element
  } catch (const Error&) {
  }
  return 0;
}
