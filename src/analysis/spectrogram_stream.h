#pragma once
// The whole recording's log-mel spectrogram (the model's front end) for the
// figure, computed as the samples arrive and kept at a bounded width: up to
// 2 * max_columns - 1 frames it is exactly FrontEnd::compute of the whole
// recording; beyond, neighbouring frames are averaged (the mean the figure
// takes per pixel anyway), so at most 2 * max_columns columns are ever held.
#include <cstddef>
#include <span>
#include <vector>

#include "features/mel_spectrogram.h"

namespace soundlens {

class YamnetFrontEnd;

class SpectrogramStream {
 public:
  SpectrogramStream(const FrontEnd& frontend, std::size_t max_columns = 8192);
  void push(std::span<const float> block);
  MelSpectrogram finish();
  std::size_t frames() const { return frames_; }           // frames computed so far
  std::size_t columns_held() const { return columns_.size() / std::size_t(n_mels_ ? n_mels_ : 1); }

 private:
  void compute_frames(std::size_t first_sample, std::size_t end_sample, std::size_t skip, std::size_t count);
  void add_frame(const MelSpectrogram& chunk, int frame);
  void yamnet_tail(const YamnetFrontEnd& yamnet, std::size_t first_frame);
  const FrontEnd& fe_;
  std::size_t max_columns_;
  std::size_t hop_;
  std::vector<float> samples_;  // [offset_, received_)
  std::size_t offset_ = 0, received_ = 0;
  std::size_t next_frame_ = 0;  // first frame not computed yet
  // Columns, each n_mels sums over `factor_` frames (the last may hold fewer).
  int n_mels_ = 0;
  std::vector<float> columns_;
  std::vector<float> center_hz_;
  double seconds_per_frame_ = 0;
  std::size_t factor_ = 1, in_last_ = 0, frames_ = 0;
};

}  // namespace soundlens
