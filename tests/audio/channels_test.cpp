// Every channel counts equally: the output is the plain average, whatever
// FFmpeg's own downmix would weight (it drops LFE and scales surrounds).
#include <gtest/gtest.h>

#include <cmath>

#include "audio/audio.h"
#include "audio_test_support.h"

namespace soundlens::test {
namespace {

constexpr int kRate = 44100;
constexpr std::size_t kFrames = 2 * kRate;

std::size_t edge() { return 32000 / 10; }

Audio decode_channels(const std::vector<std::vector<float>>& channels, std::uint32_t mask = 0) {
  const WavSpec spec{.rate = kRate, .channels = int(channels.size()), .channel_mask = mask};
  const auto bytes = wav_bytes(interleave(channels), spec);
  return decode_memory(bytes);
}

TEST(AudioChannels, OppositeChannelsCancel) {
  const auto left = sine(1000, kRate, kFrames, 0.5);
  std::vector<float> right(left.size());
  for (std::size_t i = 0; i < left.size(); ++i) right[i] = -left[i];
  const Audio audio = decode_channels({left, right});
  EXPECT_EQ(audio.source.channels, 2);
  ASSERT_EQ(audio.samples.size(), 64000u);
  EXPECT_LT(rms(audio.samples, 0, audio.samples.size()), 1e-6);
}

TEST(AudioChannels, OneSilentChannelHalvesTheAmplitude) {
  const auto left = sine(1000, kRate, kFrames, 0.5);
  const std::vector<float> right(left.size(), 0.0f);
  const Audio audio = decode_channels({left, right});
  const SineFit fit = fit_sine(audio.samples, 32000, 1000, edge(), audio.samples.size() - edge());
  EXPECT_NEAR(fit.amplitude, 0.25, 1e-3);
  EXPECT_LT(fit.residual_rms, 1e-3);
}

TEST(AudioChannels, ThreeChannelsAreAveraged) {
  const Audio audio = decode_channels(
      {sine(500, kRate, kFrames, 0.3), sine(500, kRate, kFrames, 0.6), sine(500, kRate, kFrames, 0.9)});
  EXPECT_EQ(audio.source.channels, 3);
  const SineFit fit = fit_sine(audio.samples, 32000, 500, edge(), audio.samples.size() - edge());
  EXPECT_NEAR(fit.amplitude, 0.6, 1e-3);
}

TEST(AudioChannels, SurroundLfeCountsLikeAnyChannel) {
  // 5.1 (mask 0x3F: FL FR FC LFE BL BR) with a tone only in the LFE channel.
  std::vector<std::vector<float>> channels(6, std::vector<float>(kFrames, 0.0f));
  channels[3] = sine(100, kRate, kFrames, 0.6);
  const Audio audio = decode_channels(channels, 0x3F);
  EXPECT_EQ(audio.source.channels, 6);
  const SineFit fit = fit_sine(audio.samples, 32000, 100, edge(), audio.samples.size() - edge());
  EXPECT_NEAR(fit.amplitude, 0.1, 1e-3);
}

TEST(AudioChannels, SurroundCentreCountsLikeAnyChannel) {
  std::vector<std::vector<float>> channels(6, std::vector<float>(kFrames, 0.0f));
  channels[2] = sine(1000, kRate, kFrames, 0.6);
  channels[5] = sine(1000, kRate, kFrames, 0.6);
  const Audio audio = decode_channels(channels, 0x3F);
  const SineFit fit = fit_sine(audio.samples, 32000, 1000, edge(), audio.samples.size() - edge());
  EXPECT_NEAR(fit.amplitude, 0.2, 1e-3);
}

}  // namespace
}  // namespace soundlens::test
