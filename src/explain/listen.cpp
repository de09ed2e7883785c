#include "explain/listen.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "explain/map_cells.h"
#include "features/mel_filterbank.h"
#include "features/resynthesis_stft.h"

namespace soundlens {
namespace {

constexpr int kListenFft = 1024;
constexpr int kListenHop = 256;

// proj[r][k]: the share of linear bin k that the mel filters of row r hold.
std::vector<std::vector<double>> row_projection(const features::MelFilterbank& bank, const MapCells& cells) {
  const int bins = bank.n_bins();
  std::vector<std::vector<double>> proj(cells.rows, std::vector<double>(bins, 0.0));
  for (int r = 0; r < cells.rows; ++r)
    for (int m = cells.row_first_mel[r]; m < cells.row_first_mel[r + 1]; ++m) {
      const auto& f = bank.filters()[m];
      for (std::size_t i = 0; i < f.weights.size(); ++i) proj[r][f.first_bin + int(i)] += f.weights[i];
    }
  std::vector<int> heard;  // bins some filter touches
  for (int k = 0; k < bins; ++k) {
    double total = 0;
    for (int r = 0; r < cells.rows; ++r) total += proj[r][k];
    if (total <= 0) continue;
    heard.push_back(k);
    for (int r = 0; r < cells.rows; ++r) proj[r][k] /= total;
  }
  if (heard.empty()) throw Error(ErrorCode::internal, "listening: the mel filterbank is empty");
  for (int k = 0, next = 0; k < bins; ++k) {  // unheard bins: the nearest heard bin's shares
    while (next + 1 < int(heard.size()) && heard[next + 1] <= k) ++next;
    int nearest = heard[next];
    if (next + 1 < int(heard.size()) && std::abs(heard[next + 1] - k) < std::abs(nearest - k))
      nearest = heard[next + 1];
    if (nearest != k)
      for (int r = 0; r < cells.rows; ++r) proj[r][k] = proj[r][nearest];
  }
  return proj;
}

}  // namespace

std::vector<float> listening_mask(const CamMap& map, const FrontEnd& frontend, int stft_frames, int stft_hop) {
  const auto* bank = frontend.mel_filterbank();
  if (bank == nullptr) throw Error(ErrorCode::bad_request, "this model's front end cannot be listened through");
  const double sample_rate = frontend.sample_rate(), fe_hop = frontend.hop_length();
  const MapCells cells = map_cells(map, frontend.n_mels(), fe_hop / sample_rate);
  const auto proj = row_projection(*bank, cells);
  const int bins = bank->n_bins();
  // Each bin holds the shares of a few rows only (a map of 128 rows times 513 bins is mostly zeros).
  struct Share {
    int row;
    double share;
  };
  std::vector<std::vector<Share>> shares(bins);
  for (int r = 0; r < cells.rows; ++r)
    for (int k = 0; k < bins; ++k)
      if (proj[r][k] > 0) shares[k].push_back({r, proj[r][k]});
  // One mask row per map column, then each frame copies its column's.
  std::vector<float> per_column(std::size_t(cells.cols) * bins, 0.0f);
  for (int c = 0; c < cells.cols; ++c)
    for (int k = 0; k < bins; ++k) {
      double v = 0;
      for (const Share& s : shares[k]) v += double(map.at(s.row, c)) * s.share;
      per_column[std::size_t(c) * bins + k] = float(std::clamp(v, 0.0, 1.0));
    }
  std::vector<float> mask(std::size_t(stft_frames) * bins);
  for (int t = 0; t < stft_frames; ++t) {
    const long fe_frame = std::lround(double(t) * stft_hop / fe_hop);
    const int col = int(std::min<long>(fe_frame / cells.frames_per_column, cells.cols - 1));
    std::copy_n(per_column.data() + std::size_t(col) * bins, bins, mask.data() + std::size_t(t) * bins);
  }
  return mask;
}

ListenAudio listen(std::span<const float> samples, const CamMap& map, const FrontEnd& frontend) {
  if (samples.empty()) throw Error(ErrorCode::empty_audio, "no audio samples to listen to");
  static const features::ResynthesisStft stft(kListenFft, kListenHop);
  if (frontend.mel_filterbank() != nullptr && frontend.mel_filterbank()->n_bins() != stft.n_bins())
    throw Error(ErrorCode::internal, "listening: the front end's filterbank has another FFT size");
  // The mask first: a map that does not fit fails before any work.
  const auto mask =
      listening_mask(map, frontend, features::ResynthesisStft::n_frames(samples.size(), stft.hop()), stft.hop());
  auto spectrum = stft.analyse(samples);
  for (std::size_t i = 0; i < mask.size(); ++i) spectrum.values[i] *= mask[i];
  ListenAudio out;
  out.sample_rate = frontend.sample_rate();
  out.kept = stft.synthesise(spectrum, samples.size());
  // The synthesis is linear and reconstructs the unmasked spectrum exactly, so
  // the audio under 1 - mask is the input minus the kept audio: one inverse STFT, not two.
  out.removed.resize(samples.size());
  for (std::size_t i = 0; i < samples.size(); ++i) out.removed[i] = samples[i] - out.kept[i];
  return out;
}

}  // namespace soundlens
