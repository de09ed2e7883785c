// decode_file_stream hands over the very samples decode_file returns, in
// blocks, and fails the same way.
#include <gtest/gtest.h>

#include "audio/audio.h"
#include "core/error.h"
#include "test_paths.h"

namespace soundlens {
namespace {

TEST(DecodeFileStream, GivesDecodeFilesSamplesInBoundedBlocks) {
  for (const char* rel : {"awkward/04_long_90s_concat.wav", "awkward/01_stereo_44k1_coughing.mp3",
                          "awkward/02_vorbis_44k1_dog.ogg", "awkward/06_tel_8k_mulaw_breathing.wav",
                          "awkward/03_short_0p3s_door_knock.wav"}) {
    const std::string path = test::shared_audio(rel);
    const Audio whole = decode_file(path);
    std::vector<float> streamed;
    std::size_t largest = 0, blocks = 0;
    const AudioSource source = decode_file_stream(path, [&](std::span<const float> block) {
      streamed.insert(streamed.end(), block.begin(), block.end());
      largest = std::max(largest, block.size());
      ++blocks;
    });
    EXPECT_EQ(streamed, whole.samples) << rel;
    EXPECT_EQ(source.codec, whole.source.codec) << rel;
    EXPECT_EQ(source.sample_rate, whole.source.sample_rate) << rel;
    EXPECT_EQ(source.channels, whole.source.channels) << rel;
    EXPECT_EQ(source.duration_s, whole.source.duration_s) << rel;
    EXPECT_LE(largest, 200000u) << rel;  // blocks of ~64 K samples, not the recording
    if (whole.samples.size() > 500000) EXPECT_GT(blocks, 10u) << rel;
  }
}

TEST(DecodeFileStream, UpToGivesTheWholeRecordingOnlyWhenItIsShortEnough) {
  const std::string path = test::shared_audio("awkward/04_long_90s_concat.wav");
  const Audio whole = decode_file(path);
  const auto short_enough = decode_file_up_to(path, 100);
  ASSERT_TRUE(short_enough);
  EXPECT_EQ(short_enough->samples, whole.samples);
  EXPECT_EQ(short_enough->sample_rate, whole.sample_rate);
  EXPECT_EQ(short_enough->source.duration_s, whole.source.duration_s);
  EXPECT_FALSE(decode_file_up_to(path, 60));
}

TEST(DecodeFileStream, RefusesWhatDecodeFileRefuses) {
  const auto code_of = [](auto f) {
    try {
      f();
    } catch (const Error& e) {
      return e.code();
    }
    return ErrorCode::internal;
  };
  const SampleSink ignore = [](std::span<const float>) {};
  EXPECT_EQ(code_of([&] { decode_file_stream("/nonexistent/x.wav", ignore); }), ErrorCode::bad_request);
  EXPECT_EQ(code_of([&] { decode_file_stream(test::source_dir() + "/README.md", ignore); }),
            ErrorCode::unsupported_format);
  DecodeOptions short_limit;
  short_limit.max_duration_s = 30;
  EXPECT_EQ(code_of([&] { decode_file_stream(test::shared_audio("awkward/04_long_90s_concat.wav"), ignore, short_limit); }),
            ErrorCode::too_long);
}

}  // namespace
}  // namespace soundlens
