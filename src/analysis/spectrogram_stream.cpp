#include "analysis/spectrogram_stream.h"

#include <algorithm>

#include "core/error.h"
#include "features/halfband_decimator.h"
#include "features/yamnet_frontend.h"

namespace soundlens {
namespace {

// A frame sees at most half an FFT (<= 1024 samples) on each side: 8 frames
// of context keep the frames taken from a chunk away from its edges' padding
// (as Analyzer::spectrogram of a span does).
constexpr std::size_t kContextFrames = 8;
constexpr std::size_t kChunkFrames = 1000;

}  // namespace

SpectrogramStream::SpectrogramStream(const FrontEnd& frontend, std::size_t max_columns)
    : fe_(frontend), max_columns_(std::max<std::size_t>(1, max_columns)), hop_(frontend.input_hop()) {}

void SpectrogramStream::push(std::span<const float> block) {
  samples_.insert(samples_.end(), block.begin(), block.end());
  received_ += block.size();
  // A chunk's frames are final once the samples reach kContextFrames past them.
  while ((next_frame_ + kChunkFrames + kContextFrames) * hop_ <= received_) {
    const std::size_t c0 = next_frame_ > kContextFrames ? next_frame_ - kContextFrames : 0;
    compute_frames(c0 * hop_, (next_frame_ + kChunkFrames + kContextFrames) * hop_, next_frame_ - c0, kChunkFrames);
    next_frame_ += kChunkFrames;
    const std::size_t keep = (next_frame_ > kContextFrames ? next_frame_ - kContextFrames : 0) * hop_;
    if (keep > offset_) {
      samples_.erase(samples_.begin(), samples_.begin() + std::ptrdiff_t(keep - offset_));
      offset_ = keep;
    }
  }
}

void SpectrogramStream::compute_frames(std::size_t first_sample, std::size_t end_sample, std::size_t skip,
                                       std::size_t count) {
  const auto chunk = fe_.compute(std::span<const float>(samples_.data() + (first_sample - offset_),
                                                        end_sample - first_sample));
  if (n_mels_ == 0) {
    n_mels_ = chunk.n_mels;
    center_hz_ = chunk.center_hz;
    seconds_per_frame_ = chunk.seconds_per_frame;
  }
  const std::size_t available = std::size_t(chunk.n_frames) > skip ? std::size_t(chunk.n_frames) - skip : 0;
  for (std::size_t f = 0; f < std::min(count, available); ++f) add_frame(chunk, int(skip + f));
}

void SpectrogramStream::add_frame(const MelSpectrogram& chunk, int frame) {
  if (in_last_ == 0 || in_last_ == factor_) {
    // A new column; at 2 * max_columns full ones, halve the width first.
    if (columns_.size() / std::size_t(n_mels_) >= 2 * max_columns_) {
      const std::size_t pairs = columns_.size() / std::size_t(n_mels_) / 2;
      for (std::size_t c = 0; c < pairs; ++c)
        for (int m = 0; m < n_mels_; ++m)
          columns_[c * n_mels_ + m] = columns_[2 * c * n_mels_ + m] + columns_[(2 * c + 1) * n_mels_ + m];
      columns_.resize(pairs * std::size_t(n_mels_));
      factor_ *= 2;
      in_last_ = factor_;  // the merged columns are full
    }
    columns_.resize(columns_.size() + std::size_t(n_mels_), 0.0f);
    in_last_ = 0;
  }
  float* column = columns_.data() + columns_.size() - std::size_t(n_mels_);
  for (int m = 0; m < n_mels_; ++m) column[m] += chunk.at(m, frame);
  ++in_last_;
  ++frames_;
}

// YAMNet zero-pads the end of what it is given to whole 0.96 s patches
// counted from its start: the whole recording's padding ends elsewhere than
// the last chunk's would. So the chunk is decimated as compute() does (from an
// even sample, the same 16 kHz samples), then padded to the whole's padded end.
void SpectrogramStream::yamnet_tail(const YamnetFrontEnd& yamnet, std::size_t c0) {
  const std::size_t whole_16k = yamnet_padded_samples((received_ + 1) / 2);
  // 96 + 48k frames (yamnet_frontend.h): one patch, then a patch hop per 48 hops past it.
  const std::size_t whole_frames =
      kYamnetPatchFrames + (whole_16k - yamnet_padded_samples(1)) / std::size_t(yamnet.hop_length());
  const std::size_t first_sample = c0 * hop_;  // even: hop_ is two 16 kHz samples
  std::vector<float> y = features::HalfbandDecimator().decimate(
      std::span<const float>(samples_.data() + (first_sample - offset_), received_ - first_sample));
  y.resize(whole_16k - first_sample / 2, 0.0f);
  const auto chunk = yamnet.compute_16k(y);
  if (n_mels_ == 0) {
    n_mels_ = chunk.n_mels;
    center_hz_ = chunk.center_hz;
    seconds_per_frame_ = chunk.seconds_per_frame;
  }
  for (std::size_t f = next_frame_; f < whole_frames && f - c0 < std::size_t(chunk.n_frames); ++f)
    add_frame(chunk, int(f - c0));
}

MelSpectrogram SpectrogramStream::finish() {
  if (received_ == 0) throw Error(ErrorCode::empty_audio, "the recording has no samples");
  // The rest: from the next frame (with its context) to the end of the recording.
  const std::size_t c0 = next_frame_ > kContextFrames ? next_frame_ - kContextFrames : 0;
  if (const auto* yamnet = dynamic_cast<const YamnetFrontEnd*>(&fe_))
    yamnet_tail(*yamnet, c0);
  else
    compute_frames(c0 * hop_, received_, next_frame_ - c0, std::size_t(-1) / 2);
  samples_.clear();
  samples_.shrink_to_fit();
  MelSpectrogram out;
  const std::size_t n = columns_.size() / std::size_t(n_mels_);
  out.n_mels = n_mels_;
  out.n_frames = int(n);
  out.center_hz = center_hz_;
  // The same span of time: frames * seconds per frame, spread over the columns.
  out.seconds_per_frame = factor_ == 1 ? seconds_per_frame_ : seconds_per_frame_ * double(frames_) / double(n);
  out.values.resize(columns_.size());
  for (std::size_t c = 0; c < n; ++c) {
    const float frames_in = float(c + 1 < n ? factor_ : in_last_);
    for (int m = 0; m < n_mels_; ++m)
      out.values[std::size_t(m) * n + c] = factor_ == 1 ? columns_[c * n_mels_ + m] : columns_[c * n_mels_ + m] / frames_in;
  }
  return out;
}

}  // namespace soundlens
