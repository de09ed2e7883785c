#pragma once
// One chunk of a live session's PCM as it arrives over HTTP, checked whole
// before any of it is heard: a chunk is taken entirely or not at all, so a
// refused chunk can be sent again (fixed) without losing or doubling audio.
#include <cstddef>
#include <string_view>

#include "audio/pcm_stream.h"

namespace soundlens::service {

inline int pcm_sample_bytes(PcmFormat format) { return format == PcmFormat::s16le ? 2 : 4; }

// Error(bad_request) for an empty chunk or one that is not whole samples of the format,
// Error(too_large) above max_bytes, Error(invalid_samples) for a float sample that is not
// finite or beyond +-10000 (saying which). Mono: one sample per frame.
void check_live_chunk(std::string_view bytes, PcmFormat format, std::size_t max_bytes);

}  // namespace soundlens::service
