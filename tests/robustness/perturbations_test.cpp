#include <gtest/gtest.h>

#include <cmath>
#include <complex>

#include "features/fft.h"
#include "robustness/perturbations.h"

namespace soundlens {
namespace {

constexpr int kRate = 32000;
constexpr double kPi = 3.14159265358979323846;

std::vector<float> tone(double hz, double seconds, double amplitude = 0.5) {
  std::vector<float> s(std::size_t(seconds * kRate));
  for (std::size_t i = 0; i < s.size(); ++i) s[i] = float(amplitude * std::sin(2 * kPi * hz * double(i) / kRate));
  return s;
}

Perturbation named(const std::string& condition) {
  for (const auto& p : standard_perturbations())
    if (p.condition == condition) return p;
  ADD_FAILURE() << "no perturbation " << condition;
  return {};
}

// Power gain in dB of a tone through a channel, after the filters settle.
double gain_db(const std::string& condition, double hz) {
  const auto in = tone(hz, 1.0);
  const auto out = *perturb(in, kRate, named(condition), 1);
  const std::vector<float> a(in.begin() + kRate / 4, in.end()), b(out.begin() + kRate / 4, out.end());
  return 10 * std::log10(mean_power(b) / mean_power(a));
}

TEST(PerturbationsTest, NoiseIsAddedAtTheAskedSignalToNoiseRatio) {
  const auto clean = tone(440, 2.0);
  for (const std::string kind : {"white", "pink"})
    for (int snr : {20, 10, 5, 0}) {
      const auto noisy = *perturb(clean, kRate, named(kind + " " + std::to_string(snr) + " dB"), 3);
      std::vector<float> noise(noisy.size());
      for (std::size_t i = 0; i < noise.size(); ++i) noise[i] = noisy[i] - clean[i];
      EXPECT_NEAR(10 * std::log10(mean_power(clean) / mean_power(noise)), snr, 0.01) << kind << " " << snr;
    }
}

TEST(PerturbationsTest, PinkNoiseFallsThreeDecibelsPerOctave) {
  const std::vector<float> silence(std::size_t(kRate) * 8, 0.0f);
  std::vector<float> one(silence.size(), 0.0f);
  one[0] = 1;  // a click, so that the SNR scaling has power to scale to
  const auto noisy = *perturb(one, kRate, named("pink 0 dB"), 5);
  const int n = 4096;
  features::RealFft fft(n);
  auto scratch = fft.make_scratch();
  const auto n_bins = static_cast<std::size_t>(fft.n_bins());
  std::vector<double> power(n_bins, 0.0), bins(n_bins), frame(static_cast<std::size_t>(n));
  for (std::size_t start = std::size_t(n); start + std::size_t(n) <= noisy.size(); start += std::size_t(n)) {
    for (int i = 0; i < n; ++i) frame[std::size_t(i)] = noisy[start + std::size_t(i)];
    fft.power(frame.data(), bins.data(), scratch);
    for (std::size_t k = 0; k < bins.size(); ++k) power[k] += bins[k];
  }
  auto band = [&](double lo, double hi) {  // mean power per bin
    double sum = 0;
    int count = 0;
    for (int k = int(lo * n / kRate); k < int(hi * n / kRate); ++k, ++count) sum += power[std::size_t(k)];
    return sum / count;
  };
  // Three octaves apart: 9 dB per bin less.
  EXPECT_NEAR(10 * std::log10(band(250, 500) / band(2000, 4000)), 9.0, 1.0);
}

TEST(PerturbationsTest, ChannelsPassTheirBandAndStopTheRest) {
  EXPECT_LT(gain_db("telephone 300-3400 Hz", 100), -15);
  EXPECT_NEAR(gain_db("telephone 300-3400 Hz", 1000), 0, 1);
  EXPECT_LT(gain_db("telephone 300-3400 Hz", 7000), -20);
  EXPECT_NEAR(gain_db("8 kHz sample rate", 1000), 0, 0.5);
  EXPECT_LT(gain_db("8 kHz sample rate", 5000), -15);
  EXPECT_LT(gain_db("8 kHz sample rate", 8000), -40);
  EXPECT_LT(gain_db("cheap microphone", 60), -10);
  EXPECT_NEAR(gain_db("cheap microphone", 1500), 0, 1);
}

TEST(PerturbationsTest, GainClippingAndDelayDoWhatTheySay) {
  const auto in = tone(300, 1.0, 0.2);
  EXPECT_NEAR(gain_db("gain -20 dB", 300), -20, 0.01);
  auto mixture = tone(300, 1.0, 0.2);  // three unrelated tones: no run of equal peak values
  const auto b = tone(437.3, 1.0, 0.15), c = tone(1211.7, 1.0, 0.1);
  for (std::size_t i = 0; i < mixture.size(); ++i) mixture[i] += b[i] + c[i];
  const auto clipped = *perturb(mixture, kRate, named("clipped"), 1);
  int full = 0;
  for (float v : clipped) full += std::abs(v) >= 0.9999f;
  EXPECT_NEAR(double(full) / double(clipped.size()), 0.02, 0.005);
  const auto delayed = *perturb(in, kRate, named("delayed 0.5 s"), 1);
  ASSERT_EQ(delayed.size(), in.size() + kRate / 2);
  EXPECT_EQ(delayed[kRate / 2 + 100], in[100]);
}

TEST(PerturbationsTest, OwnBackgroundNeedsAQuieterSecondThatIsNotSilence) {
  EXPECT_FALSE(perturb(tone(300, 1.5), kRate, named("own background 10 dB"), 1));  // under 2 s
  auto padded = tone(300, 3.0);
  std::fill(padded.begin(), padded.begin() + kRate + kRate / 10, 0.0f);  // a silent second
  EXPECT_FALSE(perturb(padded, kRate, named("own background 10 dB"), 1));
  auto quiet = tone(300, 4.0);
  for (std::size_t i = 0; i < std::size_t(kRate); ++i) quiet[i] *= 0.01f;
  const auto noisy = perturb(quiet, kRate, named("own background 10 dB"), 1);
  ASSERT_TRUE(noisy);
  std::vector<float> noise(noisy->size());
  for (std::size_t i = 0; i < noise.size(); ++i) noise[i] = (*noisy)[i] - quiet[i];
  EXPECT_NEAR(10 * std::log10(mean_power(quiet) / mean_power(noise)), 10, 0.01);
}

}  // namespace
}  // namespace soundlens
