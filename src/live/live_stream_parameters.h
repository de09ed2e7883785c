#pragma once
// The options of a live stream that `soundlens live` and the service's live
// sessions share (its PCM, watched classes, windows, settling, top k, lag),
// declared once. In a file of their own, without the model registry, so that
// the route table (and its fuzzer) can declare a session's parameters from them.
#include <vector>

#include "core/parameters.h"

namespace soundlens {

// The windows chosen by measurement (docs/live.md): latency against CPU.
inline constexpr double kLiveWindowS = 2;
inline constexpr double kLiveHopS = 0.5;
// Frames final 0.32 s after they are heard: event lines within the latency target (0 gives
// analyze's events exactly, a window later).
inline constexpr double kLiveSettleS = 0.32;

// format, rate, class, window-s, hop-s, settle-s, top-k, max-lag-s.
const std::vector<Parameter>& live_stream_parameters();

}  // namespace soundlens
