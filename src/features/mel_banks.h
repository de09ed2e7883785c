#pragma once
// The two mel filterbank recipes the supported models were trained with.
#include "features/mel_filterbank.h"

namespace soundlens::features {

// Kaldi mel banks (torchaudio.compliance.kaldi.get_mel_banks without VTLN
// warping): triangles on the 1127 ln(1 + f/700) scale, peak 1, no area
// normalisation, over bins k * sr / n_fft for k < n_fft / 2. The Nyquist bin
// gets weight 0, which is what EfficientAT's extra zero column does.
MelFilterbank kaldi_mel_banks(int n_mels, int n_fft, double sample_rate, double fmin, double fmax);

// librosa.filters.mel defaults (htk=False, norm='slaney'): triangles on the
// Slaney scale (linear below 1 kHz, logarithmic above), each scaled by
// 2 / (right_hz - left_hz) so that all have the same area.
MelFilterbank slaney_mel_banks(int n_mels, int n_fft, double sample_rate, double fmin, double fmax);

// The scales themselves, exposed for tests and axis labels.
// Band edges as FrontEnd::band_edges_hz gives them: n_mels + 1 values (the
// triangles' left feet, then the last triangle's right foot).
std::vector<double> kaldi_band_edges_hz(int n_mels, double fmin, double fmax);
std::vector<double> slaney_band_edges_hz(int n_mels, double fmin, double fmax);

double kaldi_hz_to_mel(double hz);
double kaldi_mel_to_hz(double mel);
double slaney_hz_to_mel(double hz);
double slaney_mel_to_hz(double mel);

}  // namespace soundlens::features
