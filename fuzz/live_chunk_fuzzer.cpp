// A live session's chunk (POST /api/v1/live/{id}/audio): any bytes, in either
// format and at any rate, go through the session's check and then the PCM
// conversion as the session does it; a chunk the check takes gives finite
// samples, one it refuses gives a soundlens::Error that is not
// Error(internal) and leaves the stream as it was; never a crash or a leak.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string_view>

#include "core/error.h"
#include "service/live_chunk.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace soundlens;
  if (size < 5) return 0;
  const PcmFormat format = data[0] & 1 ? PcmFormat::f32le : PcmFormat::s16le;
  const int rate = 1000 + int((std::uint32_t(data[1]) | std::uint32_t(data[2]) << 8 | std::uint32_t(data[3]) << 16) % 383001);
  const std::size_t max_bytes = 1 + std::size_t(data[4]) * 64;
  const SampleSink sink = [](std::span<const float> block) {
    for (float x : block)
      if (!std::isfinite(x)) std::abort();
  };
  PcmStream pcm(format, rate, 1, 32000);
  // The rest is split into chunks at every 0xFF byte (a cheap way for the fuzzer to make several).
  std::string_view rest(reinterpret_cast<const char*>(data + 5), size - 5);
  while (true) {
    const auto cut = rest.find('\xff');
    const std::string_view chunk = rest.substr(0, cut);
    try {
      service::check_live_chunk(chunk, format, max_bytes);
      pcm.push({reinterpret_cast<const std::uint8_t*>(chunk.data()), chunk.size()}, sink);
    } catch (const Error& e) {
      if (e.code() == ErrorCode::internal) std::abort();
    }
    if (cut == std::string_view::npos) break;
    rest.remove_prefix(cut + 1);
  }
  // Whole samples only were taken: nothing of a frame can be left over.
  if (pcm.finish(sink) != 0) std::abort();
  return 0;
}
