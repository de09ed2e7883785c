#pragma once
// 2:1 decimation from 32 kHz to 16 kHz for the YAMNet front end.
//
// The low-pass is a linear-phase half-band FIR: a Kaiser-windowed sinc cut
// at a quarter of the input rate (8 kHz), 207 taps, beta 10.06 (100 dB
// stopband by Kaiser's formula), normalised to unit gain at DC. Its
// transition band is 7.5-8.5 kHz: everything YAMNet's mel bands read
// (125-7500 Hz) is passed flat (ripple ~1e-5), and what folds into 0-7.5 kHz
// after decimation (8.5-16 kHz at the input) is attenuated by >= 100 dB.
// Content between 7.5 and 8.5 kHz folds onto 7.5-8 kHz, which no mel band
// reads. Every other tap of a half-band filter is zero, so each output
// sample costs ~53 multiplications. Zero phase: output sample m is centred
// on input sample 2m; the signal is taken as zero outside the span given.
#include <span>
#include <vector>

namespace soundlens::features {

class HalfbandDecimator {
 public:
  static constexpr int kHalfLength = 103;  // taps run from -103 to +103
  static constexpr double kBeta = 10.06;

  HalfbandDecimator();

  // (n + 1) / 2 samples: y[m] = sum_j h[j] x[2m + j].
  std::vector<float> decimate(std::span<const float> x) const;
  // Only y[first .. last) of decimate(x), bit for bit, into y (of decimate's length).
  void decimate_range(std::span<const float> x, std::size_t first, std::size_t last, std::span<float> y) const;

  // h[-kHalfLength .. kHalfLength], for tests.
  const std::vector<double>& taps() const { return taps_; }

 private:
  std::vector<double> taps_;  // 2 * kHalfLength + 1
  double centre_ = 0;         // h[0]
  std::vector<double> odd_;   // h[1], h[3], ... h[kHalfLength]
};

}  // namespace soundlens::features
