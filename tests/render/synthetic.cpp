#include "synthetic.h"

#include <cmath>
#include <cstdint>

namespace soundlens::synthetic {
namespace {

double hz_to_mel(double hz) { return 1127.0 * std::log1p(hz / 700.0); }
double mel_to_hz(double m) { return 700.0 * std::expm1(m / 1127.0); }

// Deterministic noise so figures and benchmarks are reproducible.
float noise(std::uint64_t i) {
  i ^= i >> 33;
  i *= 0xff51afd7ed558ccdULL;
  i ^= i >> 33;
  i *= 0xc4ceb9fe1a85ec53ULL;
  i ^= i >> 33;
  return float(i & 0xFFFF) / 65535.f - 0.5f;
}

// Fractional bin index of hz among centres (linear search is fine here).
double bin_of(const std::vector<float>& centres, double hz) {
  for (std::size_t i = 1; i < centres.size(); ++i)
    if (hz <= centres[i])
      return double(i - 1) + (hz - centres[i - 1]) / (centres[i] - centres[i - 1]);
  return double(centres.size() - 1);
}

}  // namespace

std::vector<float> mel_centres(int n_mels, double fmin, double fmax) {
  std::vector<float> c(n_mels);
  const double lo = hz_to_mel(fmin), hi = hz_to_mel(fmax);
  for (int i = 0; i < n_mels; ++i) c[i] = float(mel_to_hz(lo + (i + 1) * (hi - lo) / (n_mels + 1)));
  return c;
}

MelSpectrogram flat(int n_mels, int n_frames, float level) {
  MelSpectrogram s;
  s.n_mels = n_mels;
  s.n_frames = n_frames;
  s.seconds_per_frame = 0.01;
  s.center_hz = mel_centres(n_mels);
  s.values.assign(std::size_t(n_mels) * n_frames, level);
  return s;
}

MelSpectrogram chirp(double seconds, int n_mels) {
  MelSpectrogram s = flat(n_mels, int(std::lround(seconds / 0.01)));
  const double f0 = 200, f1 = 6000;
  for (int f = 0; f < s.n_frames; ++f) {
    const double t = f * s.seconds_per_frame;
    const double hz = f0 * std::pow(f1 / f0, std::fmod(t, 10.0) / 10.0);
    const bool click = std::fmod(t, 2.5) < 0.03;
    for (int m = 0; m < n_mels; ++m) {
      // Background falls with frequency like real recordings.
      float v = -1.6f - 0.6f * float(m) / n_mels + 0.25f * noise(std::uint64_t(f) * n_mels + m);
      for (int h = 1; h <= 3; ++h) {
        const double d = (m - bin_of(s.center_hz, hz * h)) / 1.5;
        v += float(1.8 / h * std::exp(-d * d));
      }
      if (click) v += 1.0f;
      s.values[std::size_t(m) * s.n_frames + f] = v;
    }
  }
  return s;
}

CamMap empty_cam(int rows, int cols, double seconds_per_column, double mel_bins_per_row) {
  CamMap c;
  c.class_index = 0;
  c.layer = "features.16";
  c.rows = rows;
  c.cols = cols;
  c.seconds_per_column = seconds_per_column;
  c.mel_bins_per_row = mel_bins_per_row;
  c.values.assign(std::size_t(rows) * cols, 0.f);
  return c;
}

CamMap blob_cam(int rows, int cols, double seconds_per_column, double mel_bins_per_row,
                double time_s, double mel_bin, double width_s, double width_bins) {
  CamMap c = empty_cam(rows, cols, seconds_per_column, mel_bins_per_row);
  for (int r = 0; r < rows; ++r)
    for (int col = 0; col < cols; ++col) {
      const double dt = ((col + 0.5) * seconds_per_column - time_s) / width_s;
      const double dm = ((r + 0.5) * mel_bins_per_row - mel_bin) / width_bins;
      c.values[std::size_t(r) * cols + col] = float(std::exp(-(dt * dt + dm * dm) / 2));
    }
  return c;
}

}  // namespace soundlens::synthetic
