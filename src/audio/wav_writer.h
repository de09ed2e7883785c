#pragma once
// 16-bit PCM WAV bytes, mono: what the listening audio is served and saved as.
#include <cstdint>
#include <span>
#include <vector>

namespace soundlens {

// Samples in [-1, 1), full scale 32768 as FFmpeg decodes 16-bit PCM (beyond
// is clipped; NaN is written as 0), rounded to the nearest 16-bit step. Throws Error(bad_request) for a rate outside
// 1..384000 or more samples than a WAV file can hold.
std::vector<std::uint8_t> encode_wav_pcm16(std::span<const float> samples, int sample_rate);

}  // namespace soundlens
