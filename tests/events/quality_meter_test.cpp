// QualityMeter, fed block by block, measures what the whole-recording functions measure.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "audio/audio.h"
#include "events/quality.h"
#include "test_paths.h"

namespace soundlens {
namespace {

AudioMeasures metered(const Audio& audio, std::size_t block) {
  QualityMeter meter(audio.sample_rate);
  for (std::size_t at = 0; at < audio.samples.size(); at += block)
    meter.push(std::span<const float>(audio.samples.data() + at, std::min(block, audio.samples.size() - at)));
  return meter.finish();
}

Audio synthetic(std::size_t samples) {
  Audio a;
  std::mt19937 rng(3);
  std::normal_distribution<float> noise(0.0f, 0.2f);
  a.samples.resize(samples);
  for (std::size_t i = 0; i < samples; ++i)  // noise, a loud clipped tone, silence
    a.samples[i] = i % 50000 < 20000 ? noise(rng)
                   : i % 50000 < 30000 ? float(std::clamp(1.5 * std::sin(0.05 * double(i)), -1.0, 1.0))
                                       : 0.0f;
  return a;
}

TEST(QualityMeter, MeasuresExactlyWhatTheWholeRecordingGives) {
  std::vector<Audio> inputs{synthetic(10), synthetic(2047), synthetic(2048), synthetic(2049), synthetic(333333),
                            decode_file(test::shared_audio("awkward/05_tel_8k_pcm16_breathing.wav"))};
  for (const auto& audio : inputs)
    for (std::size_t block : {1ul, 1000ul, 1024ul, 65536ul}) {
      if (block == 1 && audio.samples.size() > 100000) continue;
      const auto m = metered(audio, block);
      EXPECT_EQ(m.samples, audio.samples.size());
      EXPECT_EQ(m.bandwidth_hz, bandwidth_hz(audio, 1e-5)) << audio.samples.size() << " in blocks of " << block;
      EXPECT_EQ(m.clipped_fraction, clipped_fraction(audio, 0.99f)) << audio.samples.size();
      EXPECT_EQ(m.silent_fraction, silent_fraction(audio, -60)) << audio.samples.size() << " in blocks of " << block;
      EXPECT_EQ(m.duration_s, audio.duration_s());
    }
}

TEST(QualityMeter, GivesTheSameFlagsAsTheWholeRecording) {
  const Audio audio = synthetic(32000 * 7);
  Analysis analysis;
  analysis.probabilities.assign(527, 0.2f);
  const auto want = quality_flags(audio, analysis);
  const auto got = quality_flags(metered(audio, 4096), analysis);
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].name, want[i].name);
    EXPECT_EQ(got[i].raised, want[i].raised);
    EXPECT_EQ(got[i].value, want[i].value);
    EXPECT_EQ(got[i].message, want[i].message);
  }
  EXPECT_TRUE(got[1].raised);  // clipping
}

}  // namespace
}  // namespace soundlens
