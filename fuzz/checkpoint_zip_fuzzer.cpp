// A whole checkpoint file in memory: the zip reader (LibTorch's
// PyTorchStreamReader) and then our unpickler. A state dict or a
// soundlens::Error, never a crash or an exception of another type.
#include <cstdint>
#include <string_view>

#include "core/error.h"
#include "model/detail/checkpoint.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace soundlens;
  try {
    const auto dict =
        soundlens::detail::read_checkpoint_bytes(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.pt");
    for (const auto& [key, tensor] : dict) (void)tensor.sum().item<double>();
  } catch (const Error&) {
  }
  return 0;
}
