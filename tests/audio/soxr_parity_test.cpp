// The reference loads audio with librosa, whose default resampler is libsoxr
// "HQ" run once over the whole signal. Our streaming, FFmpeg-driven
// resampling must give the same samples, to float rounding.
#include <gtest/gtest.h>
#include <soxr.h>

#include <cmath>

#include "audio/audio.h"
#include "audio_test_support.h"
#include "test_paths.h"

namespace soundlens::test {
namespace {

// What librosa.resample(res_type="soxr_hq") computes: soxr.resample (a
// one-shot HQ conversion), then fix_length to ceil(n * out / in).
std::vector<float> librosa_soxr_hq(const std::vector<float>& x, int in_rate, int out_rate) {
  const auto length = std::size_t((std::uint64_t(x.size()) * out_rate + in_rate - 1) / in_rate);
  std::vector<float> y(length + 64, 0.0f);
  const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
  const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
  std::size_t produced = 0;
  const soxr_error_t error = soxr_oneshot(in_rate, out_rate, 1, x.data(), x.size(), nullptr, y.data(), y.size(),
                                          &produced, &io, &quality, nullptr);
  EXPECT_EQ(error, nullptr) << error;
  y.resize(length);
  return y;
}

TEST(AudioSoxrParity, MatchesLibrosaSoxrHqOnRealRecordings) {
  for (const char* file : {"example/metro_station-paris.wav", "awkward/01_stereo_44k1_coughing.mp3",
                           "awkward/02_vorbis_44k1_dog.ogg", "awkward/05_tel_8k_pcm16_breathing.wav",
                           "awkward/03_short_0p3s_door_knock.wav"}) {
    SCOPED_TRACE(file);
    const std::string path = shared_audio(file);
    const Audio ours = decode_file(path);
    // At its own rate the decoder only averages the channels: the input librosa resamples.
    const Audio original = decode_file(path, {.target_rate = ours.source.sample_rate});
    ASSERT_EQ(original.samples.size(), std::size_t(std::llround(ours.source.duration_s * ours.source.sample_rate)));
    const auto reference = librosa_soxr_hq(original.samples, ours.source.sample_rate, 32000);
    ASSERT_EQ(ours.samples.size(), reference.size());
    const std::size_t edge = 320;  // 10 ms: soxr's one-shot and streaming ends round differently
    EXPECT_LT(max_abs_difference(ours.samples, reference, edge, reference.size() - edge), 1e-6);
    EXPECT_LT(max_abs_difference(ours.samples, reference, 0, reference.size()), 1e-4);
  }
}

}  // namespace
}  // namespace soundlens::test
