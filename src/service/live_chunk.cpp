#include "service/live_chunk.h"

#include <cmath>
#include <cstdint>
#include <cstring>

#include "core/error.h"

namespace soundlens::service {

void check_live_chunk(std::string_view bytes, PcmFormat format, std::size_t max_bytes) {
  const int width = pcm_sample_bytes(format);
  const char* name = format == PcmFormat::s16le ? "s16le" : "f32le";
  if (bytes.empty()) throw Error(ErrorCode::bad_request, "the chunk is empty: send the PCM as the request body");
  if (bytes.size() > max_bytes)
    throw Error(ErrorCode::too_large, "the chunk has " + std::to_string(bytes.size()) + " bytes; at most " +
                                          std::to_string(max_bytes) + " (send shorter chunks, e.g. 0.5 s)");
  if (bytes.size() % std::size_t(width) != 0)
    throw Error(ErrorCode::bad_request, "the chunk has " + std::to_string(bytes.size()) +
                                            " bytes, not a whole number of " + name + " samples (" +
                                            std::to_string(width) + " bytes each, mono)");
  if (format != PcmFormat::f32le) return;  // every 16-bit value is a sample
  for (std::size_t i = 0; i < bytes.size(); i += 4) {
    float v;
    std::memcpy(&v, bytes.data() + i, 4);  // little-endian hosts only, as PcmStream
    if (!std::isfinite(v) || std::fabs(v) > 10000.0f)
      throw Error(ErrorCode::invalid_samples, "sample " + std::to_string(i / 4) + " of the chunk is " +
                                                  (std::isnan(v) ? std::string("NaN") : std::isinf(v) ? "infinite"
                                                                                               : "beyond +-10000") +
                                                  ": f32le samples must be finite (nominally -1 to 1)");
  }
}

}  // namespace soundlens::service
