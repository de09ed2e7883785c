// The TFLite reader (src/model/tflite/): arbitrary bytes are parsed as a
// flatbuffer and checked against YAMNet's graph. Whatever the bytes, it must
// end in a FlatBufferError or a result, never read outside the input (ASan
// sees the copy below as its own allocation, so a read past its end is caught).
#include <cstdint>
#include <cstring>
#include <memory>

#include "model/tflite/yamnet_graph.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // An exact-size copy: libFuzzer's own buffer may have slack after `size`.
  std::unique_ptr<std::uint8_t[]> copy(new std::uint8_t[size == 0 ? 1 : size]);
  if (size > 0) std::memcpy(copy.get(), data, size);
  soundlens::tflite::parse_tflite_for_fuzzing(copy.get(), size);
  return 0;
}
