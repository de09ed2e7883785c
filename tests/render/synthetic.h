#pragma once
// Synthetic spectrograms and Grad-CAM maps with known structure, shared by
// the render tests, the example writer and the benchmark.
#include <vector>

#include "explain/cam_map.h"
#include "features/mel_spectrogram.h"

namespace soundlens::synthetic {

// Centre frequencies of n mel-spaced bins over [fmin, fmax] Hz (HTK mel).
std::vector<float> mel_centres(int n_mels, double fmin = 0, double fmax = 15000);

// Every value `level`, 10 ms frames, EfficientAT-like centres.
MelSpectrogram flat(int n_mels, int n_frames, float level = 0.f);

// Low-level noise plus an exponential chirp (200 Hz -> 6 kHz) with two
// harmonics, and a click every 2.5 s; values in model-input-like units.
MelSpectrogram chirp(double seconds, int n_mels = 128);

// A map of rows x cols cells of `seconds_per_column` each, all zero.
CamMap empty_cam(int rows, int cols, double seconds_per_column, double mel_bins_per_row);

// A Gaussian blob of relevance centred at (time_s, mel_bin).
CamMap blob_cam(int rows, int cols, double seconds_per_column, double mel_bins_per_row,
                double time_s, double mel_bin, double width_s, double width_bins);

}  // namespace soundlens::synthetic
