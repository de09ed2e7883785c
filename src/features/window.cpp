#include "features/window.h"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace soundlens::features {

namespace {

std::vector<double> hann(int n, int denominator) {
  std::vector<double> w(n);
  for (int i = 0; i < n; ++i)
    w[i] = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * double(i) / double(denominator));
  return w;
}

}  // namespace

std::vector<double> hann_symmetric(int n) {
  if (n <= 0) throw std::invalid_argument("hann_symmetric: n must be positive");
  if (n == 1) return {1.0};  // torch's convention for a one-point window
  return hann(n, n - 1);
}

std::vector<double> hann_periodic(int n) {
  if (n <= 0) throw std::invalid_argument("hann_periodic: n must be positive");
  return hann(n, n);
}

std::vector<double> centre_in_fft(const std::vector<double>& window, int n_fft) {
  const int len = int(window.size());
  if (len > n_fft) throw std::invalid_argument("centre_in_fft: window longer than the FFT");
  std::vector<double> out(n_fft, 0.0);
  const int left = (n_fft - len) / 2;
  for (int i = 0; i < len; ++i) out[left + i] = window[i];
  return out;
}

}  // namespace soundlens::features
