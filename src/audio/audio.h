#pragma once
// Audio stage: decode any container/codec FFmpeg knows into 32 kHz mono float.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace soundlens {

// What the decoder found in the input, before any conversion.
struct AudioSource {
  std::string container;  // e.g. "wav", "mp3", "ogg", "matroska,webm"
  std::string codec;      // e.g. "pcm_s24le", "mp3", "vorbis", "opus"
  int sample_rate = 0;
  int channels = 0;
  double duration_s = 0;  // of the decoded samples
};

struct Audio {
  std::vector<float> samples;  // mono, channels averaged
  int sample_rate = 32000;
  AudioSource source;
  double duration_s() const { return sample_rate > 0 ? double(samples.size()) / sample_rate : 0.0; }
};

struct DecodeOptions {
  int target_rate = 32000;
  double max_duration_s = 3600;  // longer input: Error(too_long)
  double time_limit_s = 120;     // wall clock for opening and decoding; over it: Error(too_long)
};

// Errors: unsupported_format (names what was found), empty_audio, too_long, invalid_samples.
// - Only these containers are opened: WAV, MP3, Ogg, FLAC, Matroska/WebM, MP4/M4A/MOV, AIFF,
//   CAF, and only audio codecs those carry (PCM, MP3, Vorbis, Opus, FLAC, AAC, ALAC, ADPCM, ...).
//   Anything else (HLS, DASH, SDP, concat, images, video-only, ...) is unsupported_format naming
//   the format FFmpeg detected, refused before its demuxer runs: no URL, file or port is ever
//   opened on behalf of the data (decode_memory opens no protocol at all, decode_file only `path`).
// - Not audio (text, an image, no audio stream, no decoder, nothing decodable): unsupported_format.
// - NaN or infinite samples (float WAV, ...): invalid_samples, saying where.
// - Opening and decoding take longer than time_limit_s (wall clock): too_long.
// - 0 bytes, or a stream that decodes to no samples: empty_audio.
// - Longer than max_duration_s, by the container's stated length or while decoding: too_long.
// - decode_file on a missing path or a directory: bad_request, naming the path.
// - A truncated file decodes what is there (as a player would play it).
// - Bad options (target_rate outside 1000..384000, max_duration_s or time_limit_s <= 0): bad_request.
// Output: channels averaged, then resampled as librosa's "soxr_hq" does (libsoxr HQ,
// linear phase, time-aligned), ceil(n * target_rate / rate) samples. Thread-safe.
Audio decode_file(const std::string& path, const DecodeOptions& options = {});
Audio decode_memory(std::span<const std::uint8_t> bytes, const DecodeOptions& options = {});

// Streaming: the same decoding (same samples, same errors), handed to `sink`
// in consecutive blocks of target-rate mono samples as they are decoded, so
// that the recording is never held whole. Returns what was decoded (duration_s
// set). The sink may throw to stop; on an error, what it was given is void.
// options.time_limit_s covers the sink's work too.
using SampleSink = std::function<void(std::span<const float>)>;
AudioSource decode_file_stream(const std::string& path, const SampleSink& sink, const DecodeOptions& options = {});
// decode_file when the recording lasts at most `seconds` (holding at most that
// much while it finds out), else nullopt: short recordings are analysed whole,
// long ones streamed.
std::optional<Audio> decode_file_up_to(const std::string& path, double seconds, const DecodeOptions& options = {});
AudioSource decode_memory_stream(std::span<const std::uint8_t> bytes, const SampleSink& sink,
                                 const DecodeOptions& options = {});

// How long the recording in `bytes` lasts, for charging the work before it is
// done: the length its container states (a bitrate estimate counts: the
// caller corrects it once decoded) without decoding it, else decoded and
// counted. The same checks and errors as decode_memory (longer than
// max_duration_s: too_long).
double memory_duration_s(std::span<const std::uint8_t> bytes, const DecodeOptions& options = {});

}  // namespace soundlens
