// Quality flags on real recordings and on signals with known answers.
#include "events/quality.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "test_paths.h"

namespace soundlens {
namespace {

QualityFlag flag(const std::vector<QualityFlag>& flags, const std::string& name) {  // a copy: callers pass temporaries
  for (const auto& f : flags)
    if (f.name == name) return f;
  throw std::runtime_error("no flag " + name);
}

Analysis analysis_with(float best) {
  Analysis a;
  a.probabilities.assign(527, 0.01f);
  a.probabilities[47] = best;
  return a;
}

Audio tone(double seconds, double hz, double amplitude, int rate = 32000) {
  Audio a;
  a.sample_rate = rate;
  a.samples.resize(std::size_t(seconds * rate));
  for (std::size_t i = 0; i < a.samples.size(); ++i)
    a.samples[i] = float(std::clamp(amplitude * std::sin(2 * M_PI * hz * double(i) / rate), -1.0, 1.0));
  return a;
}

TEST(Quality, EveryFlagIsReportedInOrderWithANumberAndASentence) {
  const auto flags = quality_flags(tone(2, 440, 0.5), analysis_with(0.8f));
  ASSERT_EQ(flags.size(), 5u);
  const std::vector<std::string> names{"narrowband", "clipping", "mostly_silent", "shorter_than_one_cell",
                                       "low_confidence"};
  for (std::size_t i = 0; i < flags.size(); ++i) {
    EXPECT_EQ(flags[i].name, names[i]);
    EXPECT_FALSE(flags[i].message.empty());
    EXPECT_EQ(flags[i].message.back(), '.');
    EXPECT_FALSE(flags[i].unit.empty());
  }
}

TEST(Quality, TelephoneRecordingsAreNarrowbandAndWidebandOnesAreNot) {
  for (const char* file : {"awkward/05_tel_8k_pcm16_breathing.wav", "awkward/06_tel_8k_mulaw_breathing.wav"}) {
    const auto audio = decode_file(test::shared_audio(file));
    const auto& f = flag(quality_flags(audio, analysis_with(0.5f)), "narrowband");
    EXPECT_TRUE(f.raised) << file << ": " << f.value << " Hz";
    EXPECT_LE(f.value, 4500) << file;
  }
  const auto metro = decode_file(test::shared_audio("example/metro_station-paris.wav"));
  const auto& f = flag(quality_flags(metro, analysis_with(0.5f)), "narrowband");
  EXPECT_FALSE(f.raised) << f.value;
  EXPECT_GT(f.value, 9000);  // measured: 9625 Hz
}

TEST(Quality, CoughRecordingsFromTelephonesAreFlaggedAndTheOthersNot) {
  // meta.csv says which of the coughs were recorded at 8 kHz (a call centre).
  std::ifstream meta(test::shared_audio("cough/meta.csv"));
  std::string line;
  std::getline(meta, line);
  int total = 0, telephone_flagged = 0, telephones = 0, others_flagged = 0;
  std::ostringstream misses;
  while (std::getline(meta, line)) {
    std::vector<std::string> fields(1);
    for (char c : line)
      if (c == ',')
        fields.emplace_back();
      else
        fields.back() += c;
    const bool telephone = fields.at(8) == "8000";
    const auto audio = decode_file(test::shared_audio("cough/" + fields[0]));
    const auto& f = flag(quality_flags(audio, analysis_with(0.5f)), "narrowband");
    ++total;
    telephones += telephone;
    telephone_flagged += telephone && f.raised;
    others_flagged += !telephone && f.raised;
    if (f.raised != telephone)
      misses << "\n  " << fields[0] << " (" << fields[8] << " Hz source): " << f.value << " Hz";
  }
  EXPECT_EQ(total, 40);
  EXPECT_EQ(telephone_flagged, telephones) << misses.str();
  // Measured: one 48 kHz recording has no energy above 3.9 kHz either (recorded through a band-limited path).
  EXPECT_LE(others_flagged, 1) << misses.str();
}

TEST(Quality, ClippedFractionOfAnOverdrivenSineIsTheAnalyticValue) {
  // 2 sin(x) clamped to [-1, 1]: |2 sin x| >= 0.99 for a share 1 - (2/pi) asin(0.495) of the time.
  const auto audio = tone(5, 441, 2.0);
  const double expected = 1 - 2 / M_PI * std::asin(0.495);
  const auto& f = flag(quality_flags(audio, analysis_with(0.5f)), "clipping");
  EXPECT_TRUE(f.raised);
  EXPECT_NEAR(f.value, expected, 0.005);
  EXPECT_FALSE(flag(quality_flags(tone(5, 441, 0.9), analysis_with(0.5f)), "clipping").raised);
}

TEST(Quality, MostlySilentCountsQuietFrames) {
  auto audio = tone(10, 440, 0.3);
  std::fill(audio.samples.begin() + 32000, audio.samples.end(), 0.0f);  // 1 s of tone, 9 s of silence
  const auto& f = flag(quality_flags(audio, analysis_with(0.5f)), "mostly_silent");
  EXPECT_TRUE(f.raised);
  EXPECT_NEAR(f.value, 0.9, 0.01);
  EXPECT_FALSE(flag(quality_flags(tone(10, 440, 0.3), analysis_with(0.5f)), "mostly_silent").raised);
}

TEST(Quality, TheShortClipIsShorterThanOneCell) {
  const auto audio = decode_file(test::shared_audio("awkward/03_short_0p3s_door_knock.wav"));
  auto a = analysis_with(0.5f);
  a.explanations.push_back({});
  a.explanations.back().cam.seconds_per_column = 0.32;
  const auto& f = flag(quality_flags(audio, a), "shorter_than_one_cell");
  EXPECT_TRUE(f.raised);
  EXPECT_NEAR(f.value, 0.3, 0.01);
  EXPECT_FALSE(flag(quality_flags(tone(0.5, 440, 0.3), a), "shorter_than_one_cell").raised);
}

TEST(Quality, LowConfidenceWhenNoClassReachesThePointThree) {
  const auto audio = tone(1, 440, 0.3);
  const auto& low = flag(quality_flags(audio, analysis_with(0.25f)), "low_confidence");
  EXPECT_TRUE(low.raised);
  EXPECT_FLOAT_EQ(float(low.value), 0.25f);
  EXPECT_FALSE(flag(quality_flags(audio, analysis_with(0.31f)), "low_confidence").raised);
}

TEST(Quality, NoSamplesIsAnError) { EXPECT_THROW(quality_flags(Audio{}, analysis_with(0.5f)), Error); }

}  // namespace
}  // namespace soundlens
