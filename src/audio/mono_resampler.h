#pragma once
// Private to the audio stage: averages a decoder's channels and resamples to
// the target rate, appending float samples to an output vector frame by frame
// (so the original-rate audio is never held as a whole).
#include <cstdint>
#include <vector>

#include "audio/ffmpeg_handles.h"

extern "C" {
#include <libavutil/channel_layout.h>
}

namespace soundlens::audio_detail {

// AVChannelLayout may own a channel map on the heap.
struct OwnedLayout {
  AVChannelLayout value{};
  OwnedLayout() = default;
  ~OwnedLayout() { av_channel_layout_uninit(&value); }
  OwnedLayout(const OwnedLayout&) = delete;
  OwnedLayout& operator=(const OwnedLayout&) = delete;
};

class MonoResampler {
 public:
  // Configured for frames shaped like `first` (sample format, rate, channel layout).
  MonoResampler(const AVFrame& first, int target_rate, std::vector<float>& out);
  MonoResampler(const MonoResampler&) = delete;
  MonoResampler& operator=(const MonoResampler&) = delete;

  // False when the stream changed shape mid-way (chained Ogg, some MP3s):
  // the caller then finishes this resampler and starts a new one.
  bool accepts(const AVFrame& frame) const;
  void push(const AVFrame& frame);
  // Drains the filter's tail and trims/pads this segment to exactly
  // ceil(input_samples * target_rate / input_rate) samples, the length
  // librosa and torchaudio produce, so nothing is lost and nothing is added.
  void finish();
  // Samples at the front of the output that finish() can no longer change
  // (it trims or pads only past ceil(input_samples * target_rate / input_rate)).
  std::size_t settled() const;
  // The owner has taken (and erased) the first n output samples (n <= settled()).
  void dropped_front(std::size_t n) { segment_start_ -= std::int64_t(n); }

  std::int64_t input_samples() const { return input_samples_; }
  int input_rate() const { return input_rate_; }

 private:
  std::vector<float>& out_;
  std::int64_t segment_start_;  // where this segment began in the output (negative once taken)
  int target_rate_;
  int input_rate_;
  int input_format_;
  OwnedLayout input_layout_;
  std::int64_t input_samples_ = 0;
  SwrPtr swr_;
};

}  // namespace soundlens::audio_detail
