// In-memory decoding of uploads: any bytes give audio or a soundlens::Error
// that is not Error(internal), never a crash, a leak, an escaped exception of another type, or a network
// connection (the ctest label runs this under `unshare -n`).
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "audio/audio.h"
#include "core/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace soundlens;
  try {
    // Short limits keep one input cheap; the policy under test is the same.
    const Audio audio = decode_memory(std::span(data, size), {.target_rate = 16000, .max_duration_s = 30,
                                                              .time_limit_s = 10});
    for (float x : audio.samples)
      if (!std::isfinite(x)) std::abort();  // decode_memory promised finite samples
  } catch (const Error& e) {
    // Every input is the client's: a 500 for some bytes is a bug (issue 17: a
    // WAV claiming 1 Hz made the resampler run out of memory).
    if (e.code() == ErrorCode::internal) std::abort();
  }
  return 0;
}
