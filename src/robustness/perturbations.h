#pragma once
// Robustness stage: the ways clinical audio is changed in practice, applied
// to a recording (32 kHz mono): added noise at a signal-to-noise ratio (white,
// pink, and the recording's own quietest second), the telephone band, a
// narrowband (8 kHz) channel, a cheap microphone, gain and clipping, a delay.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace soundlens {

struct Perturbation {
  std::string family;     // "white noise", "pink noise", "own background", "channel", "gain", "shift"
  std::string condition;  // e.g. "white 10 dB", "telephone 300-3400 Hz", "gain -20 dB", "clipped", "delayed 0.5 s"
  double level = 0;       // SNR in dB, gain in dB, shift in s; 0 for the channels
};

// The standard set, in the order they are reported.
std::vector<Perturbation> standard_perturbations();

// The perturbed samples, or nullopt when it cannot apply (own background:
// the recording has no second quieter than the rest, or it is silence there).
// Noise is drawn from `seed`; the SNR is against the recording's mean power.
std::optional<std::vector<float>> perturb(const std::vector<float>& samples, int sample_rate, const Perturbation& p,
                                          std::uint64_t seed);

// Mean power (mean square) of samples.
double mean_power(const std::vector<float>& samples);

// A biquad section (RBJ's cookbook), run over samples in place.
struct Biquad {
  double b0 = 1, b1 = 0, b2 = 0, a1 = 0, a2 = 0;
  static Biquad low_pass(double cutoff_hz, int sample_rate, double q = 0.7071);
  static Biquad high_pass(double cutoff_hz, int sample_rate, double q = 0.7071);
  void run(std::vector<float>& samples) const;
};

}  // namespace soundlens
