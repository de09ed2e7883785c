// Every container/codec users send (WAV sample formats, G.711, FLAC, MP3,
// Vorbis, Opus, browser WebM/Opus, M4A/AAC), made at test time by the ffmpeg
// CLI from one known sine, must decode back to that sine.
#include <gtest/gtest.h>

#include <cmath>

#include "audio/audio.h"
#include "audio_test_support.h"

namespace soundlens::test {
namespace {

constexpr int kSourceRate = 44100;
constexpr double kFreq = 1000;
constexpr double kAmplitude = 0.5;
constexpr double kSeconds = 2.0;

struct CodecCase {
  const char* name;
  const char* ffmpeg_args;  // output options
  const char* extension;
  const char* codec;        // AudioSource::codec we expect
  const char* container;    // AudioSource::container we expect
  double max_residual;      // rms of decoded minus fitted sine
  double max_amplitude_error;
  double max_phase_error;   // radians at 1 kHz (0.196 rad = one 32 kHz sample)
  double max_duration_error;
  // Written to a pipe, so the muxer cannot go back to fill in the length or
  // an index: what a browser's MediaRecorder hands over.
  bool piped = false;
};

std::ostream& operator<<(std::ostream& out, const CodecCase& c) { return out << c.name; }

class AudioCodecs : public ::testing::TestWithParam<CodecCase> {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    const auto x = sine(kFreq, kSourceRate, std::size_t(kSeconds * kSourceRate), kAmplitude);
    write_bytes(dir_->path("source.wav"), wav_bytes(x, {.rate = kSourceRate}));
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static TempDir* dir_;
};
TempDir* AudioCodecs::dir_ = nullptr;

TEST_P(AudioCodecs, DecodesBackToTheSine) {
  if (!have_ffmpeg()) GTEST_SKIP() << "ffmpeg CLI not installed";
  const CodecCase& c = GetParam();
  const std::string out = dir_->path(std::string(c.name) + "." + c.extension);
  const std::string target = c.piped ? "pipe:1 > '" + out + "'" : "'" + out + "'";
  ASSERT_TRUE(run_ffmpeg("-i '" + dir_->path("source.wav") + "' " + c.ffmpeg_args + " " + target))
      << "ffmpeg could not make " << c.name;

  const Audio audio = decode_file(out);
  EXPECT_EQ(audio.source.codec, c.codec);
  EXPECT_EQ(audio.source.container, c.container);
  EXPECT_EQ(audio.source.channels, 1);
  EXPECT_EQ(audio.sample_rate, 32000);
  EXPECT_NEAR(audio.source.duration_s, kSeconds, c.max_duration_error);
  EXPECT_NEAR(audio.duration_s(), kSeconds, c.max_duration_error + 1.0 / 32000);

  const std::size_t begin = 32000 / 4, end = std::size_t(32000 * (kSeconds - 0.25));
  ASSERT_GT(audio.samples.size(), end);
  const SineFit fit = fit_sine(audio.samples, 32000, kFreq, begin, end);
  EXPECT_NEAR(fit.amplitude, kAmplitude, c.max_amplitude_error);
  EXPECT_NEAR(phase_difference(fit.phase, 0.0), 0.0, c.max_phase_error) << "decoded audio is shifted in time";
  EXPECT_LT(fit.residual_rms, c.max_residual);
  EXPECT_NEAR(zero_crossing_frequency(audio.samples, 32000, begin, end), kFreq, 0.5);

  // The same bytes from memory (M4A puts its index at the end: needs seeking).
  const auto bytes = read_bytes(out);
  const Audio from_memory = decode_memory(bytes);
  EXPECT_EQ(from_memory.samples, audio.samples);
  EXPECT_EQ(from_memory.source.codec, audio.source.codec);
}

// Lossless here means: only the resampler's error (and 16-bit rounding) remains.
constexpr double kLossless = 1e-4;
constexpr double kExactLength = 1e-9;

INSTANTIATE_TEST_SUITE_P(
    Formats, AudioCodecs,
    ::testing::Values(
        CodecCase{"wav_u8", "-c:a pcm_u8", "wav", "pcm_u8", "wav", 4e-3, 2e-3, 0.01, kExactLength},
        CodecCase{"wav_s16", "-c:a pcm_s16le", "wav", "pcm_s16le", "wav", kLossless / 2, kLossless, 1e-3, kExactLength},
        CodecCase{"wav_s24", "-c:a pcm_s24le", "wav", "pcm_s24le", "wav", kLossless / 2, kLossless, 1e-3, kExactLength},
        CodecCase{"wav_s32", "-c:a pcm_s32le", "wav", "pcm_s32le", "wav", kLossless / 2, kLossless, 1e-3, kExactLength},
        CodecCase{"wav_f32", "-c:a pcm_f32le", "wav", "pcm_f32le", "wav", kLossless / 2, kLossless, 1e-3, kExactLength},
        CodecCase{"wav_mulaw", "-c:a pcm_mulaw", "wav", "pcm_mulaw", "wav", 6e-3, 4e-3, 0.01, kExactLength},
        CodecCase{"wav_alaw", "-c:a pcm_alaw", "wav", "pcm_alaw", "wav", 6e-3, 4e-3, 0.01, kExactLength},
        CodecCase{"flac", "-c:a flac", "flac", "flac", "flac", kLossless / 2, kLossless, 1e-3, kExactLength},
        CodecCase{"mp3", "-c:a libmp3lame -b:a 192k", "mp3", "mp3", "mp3", 2e-2, 2e-2, 0.02, 0.03},
        CodecCase{"vorbis", "-c:a libvorbis -q:a 5", "ogg", "vorbis", "ogg", 2e-2, 2e-2, 0.02, 0.03},
        CodecCase{"opus", "-c:a libopus -b:a 96k", "opus", "opus", "ogg", 2e-2, 2e-2, 0.02, 0.03},
        CodecCase{"webm_opus", "-c:a libopus -b:a 64k", "webm", "opus", "matroska,webm", 2e-2, 2e-2, 0.02, 0.03},
        CodecCase{"webm_opus_streamed", "-c:a libopus -b:a 64k -f webm", "webm", "opus", "matroska,webm", 2e-2,
                  2e-2, 0.02, 0.03, true},
        CodecCase{"m4a_aac", "-c:a aac -b:a 128k", "m4a", "aac", "mov,mp4,m4a,3gp,3g2,mj2", 2e-2, 2e-2, 0.02,
                  0.03}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace soundlens::test
