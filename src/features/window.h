#pragma once
// Analysis windows, placed the way torch.stft places a window shorter than
// the FFT: centred, with zeros on both sides.
#include <vector>

namespace soundlens::features {

// Symmetric Hann (torch.hann_window(n, periodic=False)): w[0] = w[n-1] = 0.
std::vector<double> hann_symmetric(int n);

// Periodic Hann (torch.hann_window(n), scipy get_window('hann', n)): the
// first n points of a symmetric Hann of length n + 1.
std::vector<double> hann_periodic(int n);

// Zero-pads a window of length <= n_fft to n_fft, starting at (n_fft - len) / 2.
std::vector<double> centre_in_fft(const std::vector<double>& window, int n_fft);

}  // namespace soundlens::features
