#include <cmath>
#include <numbers>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"
#include "features/mel_spectrogram.h"

namespace {

using soundlens::ErrorCode;
using soundlens::FrontEnd;

std::vector<float> tone(std::size_t n, double hz = 440.0) {
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = float(0.3 * std::sin(2 * std::numbers::pi * hz * double(i) / 32000));
  return x;
}

void expect_well_formed(const soundlens::MelSpectrogram& s, const FrontEnd& fe, int frames) {
  EXPECT_EQ(s.n_mels, fe.n_mels());
  EXPECT_EQ(s.n_frames, frames);
  EXPECT_EQ(s.values.size(), std::size_t(s.n_mels) * std::size_t(frames));
  EXPECT_EQ(s.center_hz.size(), std::size_t(s.n_mels));
  EXPECT_DOUBLE_EQ(s.seconds_per_frame, 0.01);
  for (float v : s.values) ASSERT_TRUE(std::isfinite(v));
}

TEST(FeatureFrontEnd, EmptyInputIsEmptyAudio) {
  for (const auto& fe : {soundlens::make_efficientat_frontend(), soundlens::make_panns_frontend()}) {
    try {
      fe->compute({});
      ADD_FAILURE() << "no exception for 0 samples";
    } catch (const soundlens::Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::empty_audio);
    }
  }
}

// Lengths around the hop and the reflect pad (512), where torch itself would
// refuse, down to one sample.
TEST(FeatureFrontEnd, FrameCountsFromOneSampleUp) {
  const auto eat = soundlens::make_efficientat_frontend();
  const auto panns = soundlens::make_panns_frontend();
  for (std::size_t n : {1, 2, 3, 100, 319, 320, 321, 512, 513, 514, 1000, 3200, 32000}) {
    SCOPED_TRACE(n);
    const auto x = tone(n);
    // EfficientAT loses one sample to pre-emphasis before torch.stft's 1 + len / hop.
    expect_well_formed(eat->compute(x), *eat, int((n - 1) / 320 + 1));
    expect_well_formed(panns->compute(x), *panns, int(n / 320 + 1));
  }
}

TEST(FeatureFrontEnd, SingleSampleIsAllPaddingForEfficientAt) {
  const auto fe = soundlens::make_efficientat_frontend();
  const float one = 0.5f;
  const auto s = fe->compute(std::span<const float>(&one, 1));
  // Pre-emphasis leaves nothing; the frame is zero padding, so log(0 + 1e-5).
  const float floor = float((std::log(1e-5) + 4.5) / 5);
  for (float v : s.values) EXPECT_FLOAT_EQ(v, floor);
}

TEST(FeatureFrontEnd, SilenceHitsTheFloors) {
  const std::vector<float> zeros(3200, 0.0f);
  const auto e = soundlens::make_efficientat_frontend()->compute(zeros);
  for (float v : e.values) EXPECT_FLOAT_EQ(v, float((std::log(1e-5) + 4.5) / 5));
  const auto p = soundlens::make_panns_frontend()->compute(zeros);
  for (float v : p.values) EXPECT_FLOAT_EQ(v, -100.0f);
}

TEST(FeatureFrontEnd, ToneLandsInItsMelBin) {
  for (const auto& fe : {soundlens::make_efficientat_frontend(), soundlens::make_panns_frontend()}) {
    const double hz = 2000;
    const auto s = fe->compute(tone(32000, hz));
    const int frame = s.n_frames / 2;
    int best = 0;
    for (int m = 1; m < s.n_mels; ++m)
      if (s.at(m, frame) > s.at(best, frame)) best = m;
    // The loudest bin is the one whose centre is nearest the tone (or a neighbour).
    int nearest = 0;
    for (int m = 1; m < s.n_mels; ++m)
      if (std::abs(s.center_hz[m] - hz) < std::abs(s.center_hz[nearest] - hz)) nearest = m;
    EXPECT_LE(std::abs(best - nearest), 1) << fe->description();
  }
}

TEST(FeatureFrontEnd, ComputeIsThreadSafe) {
  const auto fe = soundlens::make_efficientat_frontend();
  const auto x = tone(64000, 1234);
  const auto want = fe->compute(x).values;
  std::vector<std::vector<float>> got(4);
  std::vector<std::thread> threads;
  for (auto& g : got) threads.emplace_back([&] { g = fe->compute(x).values; });
  for (auto& t : threads) t.join();
  for (const auto& g : got) EXPECT_EQ(g, want);
}

TEST(FeatureFrontEnd, DescribesItself) {
  EXPECT_NE(soundlens::make_efficientat_frontend()->description().find("Kaldi"), std::string::npos);
  EXPECT_NE(soundlens::make_panns_frontend()->description().find("Slaney"), std::string::npos);
  EXPECT_EQ(soundlens::make_efficientat_frontend(64)->n_mels(), 64);
  EXPECT_EQ(soundlens::make_panns_frontend()->sample_rate(), 32000);
  EXPECT_EQ(soundlens::make_panns_frontend()->hop_length(), 320);
}

}  // namespace
