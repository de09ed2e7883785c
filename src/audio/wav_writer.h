#pragma once
// WAV bytes: 16-bit PCM mono (what the listening audio is served and saved as), and
// 32-bit float (how samples held in memory, e.g. a numpy array, reach the decoder).
#include <cstdint>
#include <span>
#include <vector>

namespace soundlens {

// Samples in [-1, 1), full scale 32768 as FFmpeg decodes 16-bit PCM (beyond
// is clipped; NaN is written as 0), rounded to the nearest 16-bit step. Throws Error(bad_request) for a rate outside
// 1..384000 or more samples than a WAV file can hold.
std::vector<std::uint8_t> encode_wav_pcm16(std::span<const float> samples, int sample_rate);

// Interleaved frames of `channels` samples, written as they are (NaN too: the decoder refuses
// it, naming where). Throws Error(bad_request) for a rate outside 1..384000, channels outside
// 1..64, a partial frame, or more samples than a WAV file can hold.
std::vector<std::uint8_t> encode_wav_float32(std::span<const float> interleaved, int channels, int sample_rate);

}  // namespace soundlens
