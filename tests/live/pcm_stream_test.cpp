// Raw PCM from standard input becomes the same 32 kHz mono samples the
// decoder makes of the same PCM in a WAV file, however the bytes are split.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "audio/audio.h"
#include "audio/pcm_stream.h"
#include "audio/wav_writer.h"
#include "core/error.h"

namespace soundlens {
namespace {

std::vector<float> tone(int frames, int channels, int rate) {
  std::vector<float> out;
  for (int i = 0; i < frames; ++i)
    for (int c = 0; c < channels; ++c) out.push_back(0.5f * std::sin(2 * 3.14159265f * (440.0f + 220 * c) * i / rate));
  return out;
}

std::vector<std::uint8_t> bytes_of(const std::vector<float>& samples) {
  std::vector<std::uint8_t> out(samples.size() * 4);
  std::memcpy(out.data(), samples.data(), out.size());
  return out;
}

std::vector<float> convert(PcmStream& pcm, std::span<const std::uint8_t> bytes, std::size_t split) {
  std::vector<float> out;
  const SampleSink sink = [&](std::span<const float> b) { out.insert(out.end(), b.begin(), b.end()); };
  for (std::size_t at = 0; at < bytes.size(); at += split) pcm.push(bytes.subspan(at, std::min(split, bytes.size() - at)), sink);
  pcm.finish(sink);
  return out;
}

TEST(PcmStream, EqualsTheDecoderOfTheSamePcmHoweverItIsSplit) {
  const auto interleaved = tone(44100, 2, 44100);
  const auto bytes = bytes_of(interleaved);
  const Audio decoded = decode_memory(encode_wav_float32(interleaved, 2, 44100));
  for (std::size_t split : {std::size_t(1), std::size_t(7), std::size_t(4096), bytes.size()}) {
    PcmStream pcm(PcmFormat::f32le, 44100, 2);
    const auto out = convert(pcm, bytes, split);
    ASSERT_EQ(out.size(), decoded.samples.size()) << split;
    double worst = 0;
    for (std::size_t i = 0; i < out.size(); ++i) worst = std::max(worst, double(std::fabs(out[i] - decoded.samples[i])));
    EXPECT_LT(worst, 1e-6) << split;
  }
}

TEST(PcmStream, S16AtThe32kRateIsTheSamplesThemselvesAveraged) {
  const std::int16_t frames[] = {16384, -16384, 8192, 8192, -32768, 0};  // three stereo frames
  PcmStream pcm(PcmFormat::s16le, 32000, 2);
  const auto out = convert(pcm, std::span(reinterpret_cast<const std::uint8_t*>(frames), sizeof frames), 3);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_NEAR(out[0], 0.0, 1e-4);
  EXPECT_NEAR(out[1], 0.25, 1e-3);
  EXPECT_NEAR(out[2], -0.5, 1e-3);
}

TEST(PcmStream, APartialFrameAtTheEndIsCountedAndLeftOut) {
  PcmStream pcm(PcmFormat::s16le, 32000, 2);
  std::vector<std::uint8_t> bytes(4 * 100 + 3, 0);
  std::vector<float> out;
  const SampleSink sink = [&](std::span<const float> b) { out.insert(out.end(), b.begin(), b.end()); };
  pcm.push(bytes, sink);
  EXPECT_EQ(pcm.finish(sink), 3u);
  EXPECT_EQ(out.size(), 100u);
  EXPECT_EQ(pcm.input_frames(), 100);
}

TEST(PcmStream, RefusesBadOptionsAndNonFiniteSamples) {
  for (auto [rate, channels] : std::vector<std::pair<int, int>>{{0, 1}, {999, 1}, {384001, 1}, {32000, 0}, {32000, 65}}) {
    try {
      PcmStream pcm(PcmFormat::s16le, rate, channels);
      FAIL() << rate << " " << channels;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::bad_request);
      EXPECT_NE(std::string(e.what()).find(rate < 1000 || rate > 384000 ? "--rate" : "--channels"), std::string::npos);
    }
  }
  EXPECT_THROW(pcm_format("s24le"), Error);
  PcmStream pcm(PcmFormat::f32le, 32000, 1);
  std::vector<float> samples(320, 0.1f);
  samples[160] = NAN;
  const SampleSink sink = [](std::span<const float>) {};
  try {
    pcm.push(bytes_of(samples), sink);
    FAIL() << "NaN accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_samples);
    EXPECT_NE(std::string(e.what()).find("NaN sample at 0.005 s"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace soundlens
