#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "features/mel_banks.h"

namespace soundlens::features {

double kaldi_hz_to_mel(double hz) { return 1127.0 * std::log(1.0 + hz / 700.0); }
double kaldi_mel_to_hz(double mel) { return 700.0 * (std::exp(mel / 1127.0) - 1.0); }

std::vector<double> kaldi_band_edges_hz(int n_mels, double fmin, double fmax) {
  const double mel_low = kaldi_hz_to_mel(fmin), delta = (kaldi_hz_to_mel(fmax) - mel_low) / (n_mels + 1);
  std::vector<double> edges;
  for (int m = 0; m < n_mels; ++m) edges.push_back(kaldi_mel_to_hz(mel_low + m * delta));
  edges.push_back(kaldi_mel_to_hz(mel_low + (n_mels + 1) * delta));
  return edges;
}

MelFilterbank kaldi_mel_banks(int n_mels, int n_fft, double sample_rate, double fmin, double fmax) {
  const double nyquist = 0.5 * sample_rate;
  if (n_mels < 4 || n_fft < 4 || n_fft % 2 != 0 || !(0.0 <= fmin && fmin < fmax && fmax <= nyquist))
    throw std::invalid_argument("kaldi_mel_banks: bad parameters");

  const int n_bins = n_fft / 2 + 1;
  const double bin_hz = sample_rate / n_fft;
  const double mel_low = kaldi_hz_to_mel(fmin);
  // n_mels + 1 steps: the outermost triangles reach fmin and fmax with their feet.
  const double delta = (kaldi_hz_to_mel(fmax) - mel_low) / (n_mels + 1);

  std::vector<std::vector<double>> dense(n_mels, std::vector<double>(n_bins, 0.0));
  std::vector<double> centres(n_mels);
  for (int m = 0; m < n_mels; ++m) {
    const double left = mel_low + m * delta;
    const double centre = mel_low + (m + 1) * delta;
    const double right = mel_low + (m + 2) * delta;
    centres[m] = kaldi_mel_to_hz(centre);
    for (int k = 0; k < n_fft / 2; ++k) {  // Kaldi's bank stops below Nyquist
      const double mel = kaldi_hz_to_mel(bin_hz * k);
      const double up = (mel - left) / (centre - left);
      const double down = (right - mel) / (right - centre);
      dense[m][k] = std::max(0.0, std::min(up, down));
    }
  }
  return MelFilterbank(dense, std::move(centres));
}

}  // namespace soundlens::features
