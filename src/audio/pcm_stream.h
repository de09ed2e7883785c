#pragma once
// Raw interleaved PCM as it arrives (standard input, a pipe) converted to
// target-rate mono float the way the decoder converts a file: channels
// averaged, resampled with the same libsoxr settings (mono_resampler.h).
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "audio/audio.h"

namespace soundlens {

enum class PcmFormat { s16le, f32le };
// "s16le" or "f32le"; anything else: Error(bad_request) naming --format.
PcmFormat pcm_format(const std::string& name);

class PcmStream {
 public:
  // Error(bad_request) for a rate outside 1000..384000 or channels outside 1..64.
  PcmStream(PcmFormat format, int rate, int channels, int target_rate = 32000);
  ~PcmStream();
  PcmStream(const PcmStream&) = delete;
  PcmStream& operator=(const PcmStream&) = delete;
  // Bytes split anywhere: a partial frame waits for the next push. The sink
  // gets the samples nothing can change any more. f32le samples that are not
  // finite or above 10000 in magnitude: Error(invalid_samples), saying where.
  void push(std::span<const std::uint8_t> bytes, const SampleSink& sink);
  // The end: the resampler's tail to the sink. Returns how many bytes of an
  // unfinished frame (a stream that stopped mid-sample) were left out.
  std::size_t finish(const SampleSink& sink);
  std::int64_t input_frames() const;  // whole frames taken
  int bytes_per_frame() const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace soundlens
