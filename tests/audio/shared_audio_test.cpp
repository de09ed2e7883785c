// The real recordings in ../shared/audio: every one decodes, identically from
// a path and from memory, with the facts the README and manifest state.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "audio/audio.h"
#include "audio_test_support.h"
#include "test_paths.h"

namespace soundlens::test {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> shared_audio_files() {
  std::vector<std::string> files;
  for (const char* folder : {"example", "esc50-sample", "cough", "awkward"}) {
    const fs::path dir = shared_audio(folder);
    if (!fs::is_directory(dir)) continue;
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::string ext = entry.path().extension().string();
      if (ext == ".wav" || ext == ".mp3" || ext == ".ogg" || ext == ".flac") files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(AudioSharedFiles, EveryFileDecodesFromPathAndMemoryAlike) {
  const auto files = shared_audio_files();
  ASSERT_GE(files.size(), 90u) << "expected the shared audio under " << shared_audio("");
  for (const auto& path : files) {
    SCOPED_TRACE(path);
    const Audio from_path = decode_file(path);
    const auto bytes = read_bytes(path);
    const Audio from_memory = decode_memory(bytes);
    EXPECT_EQ(from_path.sample_rate, 32000);
    EXPECT_FALSE(from_path.samples.empty());
    EXPECT_TRUE(from_path.samples == from_memory.samples) << "path and memory decodes differ";
    EXPECT_EQ(from_path.source.container, from_memory.source.container);
    EXPECT_EQ(from_path.source.codec, from_memory.source.codec);
    EXPECT_EQ(from_path.source.sample_rate, from_memory.source.sample_rate);
    EXPECT_EQ(from_path.source.channels, from_memory.source.channels);
    EXPECT_DOUBLE_EQ(from_path.source.duration_s, from_memory.source.duration_s);
    EXPECT_NEAR(from_path.duration_s(), from_path.source.duration_s, 1.0 / 32000);
    for (float v : from_path.samples) {
      if (!std::isfinite(v)) {
        ADD_FAILURE() << "non-finite sample";
        break;
      }
    }
  }
}

TEST(AudioSharedFiles, MetroExample) {
  const Audio audio = decode_file(shared_audio("example/metro_station-paris.wav"));
  EXPECT_EQ(audio.source.container, "wav");
  EXPECT_EQ(audio.source.codec, "pcm_s24le");
  EXPECT_EQ(audio.source.sample_rate, 44100);
  EXPECT_EQ(audio.source.channels, 1);
  EXPECT_NEAR(audio.source.duration_s, 10.0, 0.01);
  EXPECT_EQ(audio.samples.size(), 320000u);
}

TEST(AudioSharedFiles, AwkwardFiles) {
  struct Expect {
    const char* file;
    const char* container;
    const char* codec;
    int rate;
    int channels;
    double seconds;
    double tolerance;
  };
  for (const Expect& e : {
           // 5.04 s in the container is with the encoder's padding; the LAME
           // header's gapless info trims it back to the 5.0 s that went in.
           Expect{"01_stereo_44k1_coughing.mp3", "mp3", "mp3", 44100, 2, 5.0, 0.001},
           Expect{"02_vorbis_44k1_dog.ogg", "ogg", "vorbis", 44100, 1, 5.0, 0.01},
           Expect{"03_short_0p3s_door_knock.wav", "wav", "pcm_s16le", 44100, 1, 0.30, 1e-9},
           Expect{"04_long_90s_concat.wav", "wav", "pcm_s16le", 44100, 1, 90.0, 1e-9},
           Expect{"05_tel_8k_pcm16_breathing.wav", "wav", "pcm_s16le", 8000, 1, 5.0, 1e-9},
           Expect{"06_tel_8k_mulaw_breathing.wav", "wav", "pcm_mulaw", 8000, 1, 5.0, 1e-9},
       }) {
    SCOPED_TRACE(e.file);
    const Audio audio = decode_file(shared_audio(std::string("awkward/") + e.file));
    EXPECT_EQ(audio.source.container, e.container);
    EXPECT_EQ(audio.source.codec, e.codec);
    EXPECT_EQ(audio.source.sample_rate, e.rate);
    EXPECT_EQ(audio.source.channels, e.channels);
    EXPECT_NEAR(audio.source.duration_s, e.seconds, e.tolerance);
    EXPECT_NEAR(audio.duration_s(), e.seconds, e.tolerance + 1.0 / 32000);
  }
}

TEST(AudioSharedFiles, MulawMatchesTheSamePcmRecording) {
  // 05 and 06 hold the same telephone signal; G.711 costs ~38 dB of SNR.
  const Audio pcm = decode_file(shared_audio("awkward/05_tel_8k_pcm16_breathing.wav"));
  const Audio mulaw = decode_file(shared_audio("awkward/06_tel_8k_mulaw_breathing.wav"));
  ASSERT_EQ(pcm.samples.size(), mulaw.samples.size());
  double signal = 0, noise = 0;
  for (std::size_t i = 0; i < pcm.samples.size(); ++i) {
    signal += double(pcm.samples[i]) * pcm.samples[i];
    const double d = double(pcm.samples[i]) - mulaw.samples[i];
    noise += d * d;
  }
  ASSERT_GT(signal, 0);
  EXPECT_GT(10 * std::log10(signal / noise), 25.0);
}

TEST(AudioSharedFiles, TargetRateFlacIsPassedThroughBitExact) {
  // ESC-50 clips are already 32 kHz mono 16-bit: nothing may change them
  // beyond the int -> float scaling (x / 32768), which the ffmpeg CLI also does.
  if (!have_ffmpeg()) GTEST_SKIP() << "ffmpeg CLI not installed";
  const std::string path = shared_audio("esc50-sample/2-103426-A-3.flac");
  const Audio audio = decode_file(path);
  TempDir dir;
  ASSERT_TRUE(run_ffmpeg("-i '" + path + "' -f f32le -c:a pcm_f32le '" + dir.path("raw.f32") + "'"));
  const auto raw = read_bytes(dir.path("raw.f32"));
  ASSERT_EQ(raw.size(), audio.samples.size() * sizeof(float));
  std::vector<float> expected(audio.samples.size());
  std::memcpy(expected.data(), raw.data(), raw.size());
  EXPECT_EQ(max_abs_difference(audio.samples, expected, 0, expected.size()), 0.0);
}

TEST(AudioSharedFiles, StereoMp3IsTheAverageOfItsChannels) {
  // The MP3's right channel is the left delayed 5 ms at -3 dB: decode the
  // channels separately with the ffmpeg CLI and check our mono is their mean.
  if (!have_ffmpeg()) GTEST_SKIP() << "ffmpeg CLI not installed";
  const std::string path = shared_audio("awkward/01_stereo_44k1_coughing.mp3");
  TempDir dir;
  const std::string left = dir.path("left.wav"), right = dir.path("right.wav");
  ASSERT_TRUE(run_ffmpeg("-i '" + path + "' -af 'pan=mono|c0=c0' -c:a pcm_f32le '" + left + "'"));
  ASSERT_TRUE(run_ffmpeg("-i '" + path + "' -af 'pan=mono|c0=c1' -c:a pcm_f32le '" + right + "'"));
  const Audio mixed = decode_file(path), l = decode_file(left), r = decode_file(right);
  ASSERT_EQ(mixed.samples.size(), l.samples.size());
  ASSERT_EQ(mixed.samples.size(), r.samples.size());
  std::vector<float> mean(l.samples.size());
  for (std::size_t i = 0; i < mean.size(); ++i) mean[i] = 0.5f * (l.samples[i] + r.samples[i]);
  EXPECT_LT(max_abs_difference(mixed.samples, mean, 0, mean.size()), 1e-5);
  EXPECT_GT(max_abs_difference(l.samples, r.samples, 0, mean.size()), 0.01) << "the channels should differ";
}

}  // namespace
}  // namespace soundlens::test
