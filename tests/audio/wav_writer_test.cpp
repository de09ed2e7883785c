// encode_wav_float32: samples held in memory (the Python package's arrays)
// reach the decoder as a float WAV. What goes in at 32 kHz mono comes back
// bit for bit; channels are averaged as for any file; another rate is
// resampled to the same length a file would have; bad shapes are refused.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "audio/audio.h"
#include "audio/wav_writer.h"
#include "core/error.h"

namespace soundlens {
namespace {

std::vector<float> tone(int n, double hz, int rate) {
  std::vector<float> x(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) x[std::size_t(i)] = float(0.5 * std::sin(2 * M_PI * hz * i / rate));
  return x;
}

TEST(WavFloat32, MonoAt32kHzComesBackExactly) {
  const auto x = tone(32000, 440, 32000);
  const Audio a = decode_memory(encode_wav_float32(x, 1, 32000));
  ASSERT_EQ(a.samples.size(), x.size());
  for (std::size_t i = 0; i < x.size(); ++i) ASSERT_EQ(a.samples[i], x[i]) << i;
  EXPECT_EQ(a.source.sample_rate, 32000);
  EXPECT_EQ(a.source.channels, 1);
}

TEST(WavFloat32, ChannelsAreAveraged) {
  const auto left = tone(32000, 440, 32000), right = tone(32000, 1000, 32000);
  std::vector<float> frames;
  for (std::size_t i = 0; i < left.size(); ++i) frames.insert(frames.end(), {left[i], right[i]});
  const Audio a = decode_memory(encode_wav_float32(frames, 2, 32000));
  ASSERT_EQ(a.samples.size(), left.size());
  EXPECT_EQ(a.source.channels, 2);
  for (std::size_t i = 0; i < left.size(); i += 97) EXPECT_NEAR(a.samples[i], (left[i] + right[i]) / 2, 1e-6) << i;
}

TEST(WavFloat32, AnotherRateIsResampledToTheFileLength) {
  const Audio a = decode_memory(encode_wav_float32(tone(44100, 440, 44100), 1, 44100));
  EXPECT_EQ(a.samples.size(), 32000u);  // ceil(44100 * 32000 / 44100)
  EXPECT_EQ(a.source.sample_rate, 44100);
}

TEST(WavFloat32, NanIsLeftForTheDecoderToRefuse) {
  auto x = tone(32000, 440, 32000);
  x[16000] = std::numeric_limits<float>::quiet_NaN();
  try {
    decode_memory(encode_wav_float32(x, 1, 32000));
    FAIL() << "NaN accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_samples);
  }
}

TEST(WavFloat32, BadShapesAreRefused) {
  const std::vector<float> three(3, 0.f);
  for (auto [channels, rate] : std::vector<std::pair<int, int>>{{2, 32000}, {0, 32000}, {65, 32000}, {1, 0}}) {
    try {
      encode_wav_float32(three, channels, rate);
      FAIL() << channels << " channels at " << rate << " Hz accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::bad_request);
    }
  }
}

}  // namespace
}  // namespace soundlens
