// Float audio with NaN or infinite samples is refused (422 invalid_samples)
// with a message saying where, instead of analysing to all-zero probabilities.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "audio/audio.h"
#include "audio_test_support.h"
#include "core/error.h"

namespace soundlens::test {
namespace {

std::string invalid_samples_message(const std::vector<std::uint8_t>& bytes, bool from_file) {
  TempDir dir;
  write_bytes(dir.path("x.wav"), bytes);
  try {
    from_file ? decode_file(dir.path("x.wav")) : decode_memory(bytes);
  } catch (const Error& e) {
    EXPECT_EQ(error_code_name(e.code()), "invalid_samples") << e.what();
    return e.what();
  }
  ADD_FAILURE() << "decoded without an error";
  return {};
}

TEST(AudioInvalidSamples, NanInAFloatWavIsRefusedSayingWhere) {
  auto x = sine(440, 16000, 16000, 0.5);
  x[8000] = std::numeric_limits<float>::quiet_NaN();  // at 0.5 s
  const auto bytes = wav_bytes(x, {.rate = 16000, .sample = WavSample::f32});
  for (bool from_file : {false, true}) {
    const std::string m = invalid_samples_message(bytes, from_file);
    EXPECT_NE(m.find("NaN"), std::string::npos) << m;
    EXPECT_NE(m.find("0.5 s"), std::string::npos) << m;
    EXPECT_NE(m.find("channel 1"), std::string::npos) << m;
  }
}

TEST(AudioInvalidSamples, InfinityInTheSecondChannelIsRefused) {
  auto left = sine(440, 16000, 16000, 0.5), right = left;
  right[4000] = -std::numeric_limits<float>::infinity();  // at 0.25 s
  const auto bytes = wav_bytes(interleave({left, right}), {.rate = 16000, .channels = 2, .sample = WavSample::f32});
  const std::string m = invalid_samples_message(bytes, false);
  EXPECT_NE(m.find("infinite"), std::string::npos) << m;
  EXPECT_NE(m.find("0.25 s"), std::string::npos) << m;
  EXPECT_NE(m.find("channel 2"), std::string::npos) << m;
}

TEST(AudioInvalidSamples, HugeFiniteFloatsAreRefused) {
  // Found by fuzz/decode_fuzzer: two channels near FLT_MAX averaged to infinity.
  auto left = sine(440, 16000, 16000, 0.5), right = left;
  left[1600] = right[1600] = 3e38f;  // at 0.1 s
  const auto bytes = wav_bytes(interleave({left, right}), {.rate = 16000, .channels = 2, .sample = WavSample::f32});
  const std::string m = invalid_samples_message(bytes, false);
  EXPECT_NE(m.find("out-of-range"), std::string::npos) << m;
  EXPECT_NE(m.find("0.1 s"), std::string::npos) << m;
}

TEST(AudioInvalidSamples, LoudFloatsBeyondFullScaleAreStillAudio) {
  // Out of [-1, 1] is loud, not invalid: it decodes, and stays finite.
  auto x = sine(440, 16000, 16000, 0.5);
  x[100] = 9000.0f;
  x[200] = -50.0f;
  const Audio audio = decode_memory(wav_bytes(x, {.rate = 16000, .sample = WavSample::f32}));
  ASSERT_EQ(audio.samples.size(), 32000u);
  for (float v : audio.samples) ASSERT_TRUE(std::isfinite(v));
}

}  // namespace
}  // namespace soundlens::test
