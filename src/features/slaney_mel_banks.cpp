#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "features/mel_banks.h"

namespace soundlens::features {

namespace {
constexpr double kHzPerMel = 200.0 / 3.0;  // linear part, below the break
constexpr double kBreakHz = 1000.0;
constexpr double kBreakMel = kBreakHz / kHzPerMel;  // 15
const double kLogStep = std::log(6.4) / 27.0;       // mels per ln(Hz) above the break
}  // namespace

double slaney_hz_to_mel(double hz) {
  return hz < kBreakHz ? hz / kHzPerMel : kBreakMel + std::log(hz / kBreakHz) / kLogStep;
}

double slaney_mel_to_hz(double mel) {
  return mel < kBreakMel ? mel * kHzPerMel : kBreakHz * std::exp(kLogStep * (mel - kBreakMel));
}

std::vector<double> slaney_band_edges_hz(int n_mels, double fmin, double fmax) {
  const double mel_min = slaney_hz_to_mel(fmin), mel_max = slaney_hz_to_mel(fmax);
  std::vector<double> edges;
  for (int m = 0; m < n_mels; ++m) edges.push_back(slaney_mel_to_hz(mel_min + (mel_max - mel_min) * m / (n_mels + 1)));
  edges.push_back(fmax);
  return edges;
}

MelFilterbank slaney_mel_banks(int n_mels, int n_fft, double sample_rate, double fmin, double fmax) {
  if (n_mels < 1 || n_fft < 4 || n_fft % 2 != 0 || !(0.0 <= fmin && fmin < fmax && fmax <= 0.5 * sample_rate))
    throw std::invalid_argument("slaney_mel_banks: bad parameters");

  const int n_bins = n_fft / 2 + 1;
  // n_mels + 2 edge frequencies, evenly spaced in mel: filter m spans edges m..m+2.
  const double mel_min = slaney_hz_to_mel(fmin);
  const double mel_max = slaney_hz_to_mel(fmax);
  std::vector<double> edges(n_mels + 2);
  for (int i = 0; i < n_mels + 2; ++i)
    edges[i] = slaney_mel_to_hz(mel_min + (mel_max - mel_min) * i / (n_mels + 1));

  std::vector<std::vector<double>> dense(n_mels, std::vector<double>(n_bins, 0.0));
  std::vector<double> centres(n_mels);
  for (int m = 0; m < n_mels; ++m) {
    const double left = edges[m], centre = edges[m + 1], right = edges[m + 2];
    const double area_norm = 2.0 / (right - left);
    centres[m] = centre;
    for (int k = 0; k < n_bins; ++k) {
      // The bin frequencies are linspace(0, sr/2, n_bins), as librosa builds them.
      const double hz = 0.5 * sample_rate * k / (n_bins - 1);
      const double rising = (hz - left) / (centre - left);
      const double falling = (right - hz) / (right - centre);
      dense[m][k] = area_norm * std::max(0.0, std::min(rising, falling));
    }
  }
  return MelFilterbank(dense, std::move(centres));
}

}  // namespace soundlens::features
