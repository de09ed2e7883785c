// Resampling quality, alignment and length: what the 1e-2 probability
// contract against the librosa (soxr HQ) reference depends on.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "audio/audio.h"
#include "audio_test_support.h"

namespace soundlens::test {
namespace {

Audio decode_wav(const std::vector<float>& interleaved, const WavSpec& spec, const DecodeOptions& options = {}) {
  const auto bytes = wav_bytes(interleaved, spec);
  return decode_memory(bytes, options);
}

std::size_t expected_length(std::size_t n, int from, int to) {
  return std::size_t((std::uint64_t(n) * to + from - 1) / from);
}

TEST(AudioResample, SineFrom44k1MatchesAnalyticSine) {
  const int rate = 44100;
  const auto x = sine(1000, rate, 3 * rate, 0.5);
  const Audio audio = decode_wav(x, {.rate = rate});
  ASSERT_EQ(audio.sample_rate, 32000);
  ASSERT_EQ(audio.samples.size(), expected_length(x.size(), rate, 32000));
  const auto reference = sine(1000, 32000, audio.samples.size(), 0.5);
  const std::size_t edge = 32000 / 20;  // 50 ms: where the filter sees past the ends
  EXPECT_LT(max_abs_difference(audio.samples, reference, edge, audio.samples.size() - edge), 1e-3);
}

// Sines at several input rates, down- and up-sampled; the analytic sine at
// 32 kHz is the exact answer, so any delay or gain error shows up.
class AudioResampleRates : public ::testing::TestWithParam<int> {};

TEST_P(AudioResampleRates, SineMatchesAnalyticSineAndStaysAligned) {
  const int rate = GetParam();
  const double freq = 440;
  const auto x = sine(freq, rate, std::size_t(2.5 * rate), 0.4, 0.3);
  const Audio audio = decode_wav(x, {.rate = rate});
  ASSERT_EQ(audio.samples.size(), expected_length(x.size(), rate, 32000));
  EXPECT_EQ(audio.source.sample_rate, rate);
  const auto reference = sine(freq, 32000, audio.samples.size(), 0.4, 0.3);
  const std::size_t edge = 32000 / 10;
  EXPECT_LT(max_abs_difference(audio.samples, reference, edge, audio.samples.size() - edge), 1e-3);
  const SineFit fit = fit_sine(audio.samples, 32000, freq, edge, audio.samples.size() - edge);
  EXPECT_NEAR(fit.amplitude, 0.4, 1e-3);
  // 0.01 rad at 440 Hz is 0.12 output samples.
  EXPECT_NEAR(phase_difference(fit.phase, 0.3), 0.0, 0.01);
}

INSTANTIATE_TEST_SUITE_P(InputRates, AudioResampleRates,
                         ::testing::Values(8000, 11025, 16000, 22050, 24000, 44100, 48000, 88200, 96000));

// A click must come out where it went in: no leading delay from the filter.
class AudioResampleImpulse : public ::testing::TestWithParam<int> {};

TEST_P(AudioResampleImpulse, ImpulseStaysWithinOneSample) {
  const int rate = GetParam();
  std::vector<float> x(std::size_t(rate), 0.0f);
  const std::size_t at = std::size_t(rate) / 2 + 7;
  x[at] = 1.0f;
  const Audio audio = decode_wav(x, {.rate = rate});
  const auto peak = std::max_element(audio.samples.begin(), audio.samples.end(),
                                     [](float a, float b) { return std::abs(a) < std::abs(b); });
  const double found = double(peak - audio.samples.begin());
  const double expected = double(at) * 32000 / rate;
  EXPECT_LE(std::abs(found - expected), 1.0) << "impulse at input sample " << at << " (" << rate << " Hz)";
  EXPECT_GT(*peak, 0.0f);
}

INSTANTIATE_TEST_SUITE_P(InputRates, AudioResampleImpulse, ::testing::Values(8000, 22050, 44100, 48000, 96000));

TEST(AudioResample, TailIsFlushed) {
  // A tone that runs to the last input sample must run to the last output
  // sample: a resampler that is not flushed loses its filter's length there.
  const int rate = 44100;
  const auto x = sine(1000, rate, rate, 0.5);
  const Audio audio = decode_wav(x, {.rate = rate});
  const std::size_t n = audio.samples.size();
  ASSERT_EQ(n, 32000u * 1);
  const std::size_t last_5ms = 160;
  EXPECT_GT(rms(audio.samples, n - last_5ms, n), 0.25) << "expected ~0.35 (a 0.5 sine)";
  EXPECT_GT(rms(audio.samples, 0, last_5ms), 0.25) << "the start must not be delayed either";
}

TEST(AudioResample, LengthIsCeilOfScaledInput) {
  // librosa (fix=True) and torchaudio both give ceil(n * 32000 / rate).
  for (const auto& [n, rate] : std::vector<std::pair<std::size_t, int>>{
           {1, 44100}, {13230, 44100}, {1001, 44100}, {7, 8000}, {48001, 48000}, {12345, 22050}}) {
    const Audio audio = decode_wav(sine(100, rate, n, 0.3), {.rate = rate});
    EXPECT_EQ(audio.samples.size(), expected_length(n, rate, 32000)) << n << " samples at " << rate << " Hz";
    EXPECT_NEAR(audio.source.duration_s, double(n) / rate, 1e-9);
  }
}

TEST(AudioResample, TargetRateInputPassesThroughUnchanged) {
  const auto x = sine(1234, 32000, 32000, 0.7, 1.0);
  const Audio audio = decode_wav(x, {.rate = 32000});
  ASSERT_EQ(audio.samples.size(), x.size());
  EXPECT_EQ(max_abs_difference(audio.samples, x, 0, x.size()), 0.0);
}

TEST(AudioResample, OtherTargetRate) {
  const auto x = sine(1000, 44100, 44100, 0.5);
  const Audio audio = decode_wav(x, {.rate = 44100}, {.target_rate = 16000});
  EXPECT_EQ(audio.sample_rate, 16000);
  ASSERT_EQ(audio.samples.size(), 16000u);
  const auto reference = sine(1000, 16000, 16000, 0.5);
  EXPECT_LT(max_abs_difference(audio.samples, reference, 1600, 16000 - 1600), 1e-3);
}

}  // namespace
}  // namespace soundlens::test
