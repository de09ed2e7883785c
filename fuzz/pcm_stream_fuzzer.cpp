// Raw PCM on standard input (soundlens live -): any bytes, with any format,
// rate and channel count, split anywhere, give finite samples or a
// soundlens::Error that is not Error(internal); never a crash or a leak.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "audio/pcm_stream.h"
#include "core/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace soundlens;
  if (size < 6) return 0;
  // The first bytes choose the options (the rate over the whole declared range and beyond it).
  const PcmFormat format = data[0] & 1 ? PcmFormat::f32le : PcmFormat::s16le;
  const int channels = data[1] % 70;
  const int rate = int((std::uint32_t(data[2]) | std::uint32_t(data[3]) << 8 | std::uint32_t(data[4]) << 16) % 400000);
  const std::size_t split = 1 + data[5];
  std::span<const std::uint8_t> bytes(data + 6, size - 6);
  std::size_t samples = 0;
  const SampleSink sink = [&](std::span<const float> block) {
    for (float x : block)
      if (!std::isfinite(x)) std::abort();
    samples += block.size();
  };
  try {
    PcmStream pcm(format, rate, channels, 16000);
    for (std::size_t at = 0; at < bytes.size(); at += split)
      pcm.push(bytes.subspan(at, std::min(split, bytes.size() - at)), sink);
    const std::size_t partial = pcm.finish(sink);
    if (partial >= std::size_t(pcm.bytes_per_frame())) std::abort();
  } catch (const Error& e) {
    if (e.code() == ErrorCode::internal) std::abort();
  }
  return 0;
}
