#include "trust_support.h"

#include <algorithm>
#include <cmath>

#include "explain/grad_cam.h"
#include "model/model_registry.h"
#include "test_paths.h"

namespace soundlens::test {
namespace {

std::vector<std::pair<int, int>> windows(int n, int window, int hop) {
  if (n <= window) return {{0, n}};
  std::vector<std::pair<int, int>> out;
  int start = 0;
  for (; start + window < n; start += hop) out.push_back({start, window});
  if (out.back().first != n - window) out.push_back({n - window, window});
  return out;
}

std::vector<MelSpectrogram> cut(const MelSpectrogram& s, int window, int hop) {
  std::vector<MelSpectrogram> out;
  for (auto [start, length] : windows(s.n_frames, window, hop)) out.push_back(slice(s, start, length));
  return out;
}

}  // namespace

std::shared_ptr<const Model> mn04() {
  static const auto model = load_model("mn04_as", {models_dir()});
  return model;
}

Audio cough_clip() { return decode_file(shared_audio("cough/063900f6-c03b-4ffb-b51b-877b6b5a74d5.flac")); }

Audio cough_in_background(double onset_s, double seconds) {
  Audio a;
  a.samples.resize(std::size_t(seconds * 32000));
  uint32_t state = 99;
  for (auto& s : a.samples) {
    state = state * 1664525u + 1013904223u;
    s = (float(state >> 8) / float(1u << 24) - 0.5f) * 0.004f;  // about -60 dBFS
  }
  const auto cough = cough_clip();
  const std::size_t at = std::size_t(onset_s * 32000);
  for (std::size_t i = 0; i < cough.samples.size() && at + i < a.samples.size(); ++i)
    a.samples[at + i] += cough.samples[i];
  return a;
}

MelSpectrogram slice(const MelSpectrogram& s, int start, int frames) {
  MelSpectrogram w;
  w.n_mels = s.n_mels;
  w.n_frames = frames;
  w.seconds_per_frame = s.seconds_per_frame;
  w.center_hz = s.center_hz;
  w.values.resize(std::size_t(s.n_mels) * frames);
  for (int m = 0; m < s.n_mels; ++m)
    std::copy_n(s.values.data() + std::size_t(m) * s.n_frames + start, frames,
                w.values.data() + std::size_t(m) * frames);
  return w;
}

CamMap grad_cam_map(const Model& model, const MelSpectrogram& recording, int window_frames, int hop_frames,
                    int class_index, int contrast_index) {
  const auto inputs = cut(recording, window_frames, hop_frames);
  const auto pass = model.forward(inputs);
  const int classes[] = {class_index};
  const auto grids = grad_cam(*pass, classes).at(0);
  std::vector<CamPlacement> placements;
  for (auto [start, length] : windows(recording.n_frames, window_frames, hop_frames))
    placements.push_back({start * recording.seconds_per_frame});
  const auto& info = model.info();
  const double seconds_per_column = info.time_stride * recording.seconds_per_frame;
  auto map = stitch_cam(grids, placements, seconds_per_column, recording.n_frames * recording.seconds_per_frame);
  map.class_index = class_index;
  map.contrast_index = contrast_index;
  map.frames_per_column = info.time_stride;
  map.mel_bins_per_row = info.freq_stride;
  map.layer = info.cam_layer;
  return map;
}

double clip_probability(const Model& model, const MelSpectrogram& recording, int window_frames, int hop_frames,
                        int class_index) {
  const auto pass = model.forward(cut(recording, window_frames, hop_frames));
  double best = 0;
  for (int w = 0; w < pass->windows(); ++w)
    best = std::max(best, 1.0 / (1.0 + std::exp(-double(pass->logits(w)[class_index]))));
  return best;
}

}  // namespace soundlens::test
