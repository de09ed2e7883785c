// SpectrogramStream: exactly the whole recording's spectrogram while it is
// narrow enough, a bounded number of columns (averaging frames) beyond.
#include "analysis/spectrogram_stream.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace soundlens {
namespace {

std::vector<float> noise_and_chirp(double seconds) {
  std::mt19937 rng(7);
  std::normal_distribution<float> n(0.0f, 0.05f);
  std::vector<float> x(std::size_t(seconds * 32000));
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double t = double(i) / 32000;
    x[i] = n(rng) + 0.3f * float(std::sin(2 * M_PI * (200 + 300 * std::fmod(t, 7.0)) * t));
  }
  return x;
}

MelSpectrogram streamed(const FrontEnd& fe, const std::vector<float>& x, std::size_t block, std::size_t max_columns,
                        std::size_t* most_held = nullptr) {
  SpectrogramStream stream(fe, max_columns);
  for (std::size_t at = 0; at < x.size(); at += block) {
    stream.push(std::span<const float>(x.data() + at, std::min(block, x.size() - at)));
    if (most_held) *most_held = std::max(*most_held, stream.columns_held());
  }
  return stream.finish();
}

TEST(SpectrogramStream, EqualsTheWholeRecordingsSpectrogramWhileNarrow) {
  const auto fe = make_efficientat_frontend();
  for (double seconds : {0.05, 0.3, 10.0, 31.7})
    for (std::size_t block : {777ul, 65536ul}) {
      const auto x = noise_and_chirp(seconds);
      const auto whole = fe->compute(x);
      const auto got = streamed(*fe, x, block, 8192);
      ASSERT_EQ(got.n_frames, whole.n_frames) << seconds << " s, blocks of " << block;
      ASSERT_EQ(got.n_mels, whole.n_mels);
      EXPECT_EQ(got.seconds_per_frame, whole.seconds_per_frame);
      EXPECT_EQ(got.center_hz, whole.center_hz);
      float worst = 0;
      for (std::size_t i = 0; i < whole.values.size(); ++i)
        worst = std::max(worst, std::fabs(got.values[i] - whole.values[i]));
      EXPECT_EQ(worst, 0.0f) << seconds << " s, blocks of " << block;
    }
}

TEST(SpectrogramStream, KeepsABoundedWidthThatAveragesTheFramesOverTheSameTime) {
  const auto fe = make_efficientat_frontend();
  const auto x = noise_and_chirp(60);  // 6001 frames into at most 2 * 512 columns
  const auto whole = fe->compute(x);
  std::size_t most_held = 0;
  const auto got = streamed(*fe, x, 65536, 512, &most_held);
  EXPECT_LE(most_held, 1024u);
  EXPECT_GE(got.n_frames, 512);
  EXPECT_LE(got.n_frames, 1024);
  EXPECT_NEAR(got.n_frames * got.seconds_per_frame, whole.n_frames * whole.seconds_per_frame, 1e-9);
  // Column c averages `factor` consecutive frames of the whole spectrogram.
  const int factor = (whole.n_frames + got.n_frames - 1) / got.n_frames;
  ASSERT_EQ(factor, 8);
  for (int m : {0, 40, 127})
    for (int c : {0, 100, got.n_frames - 2}) {
      double mean = 0;
      for (int f = c * factor; f < (c + 1) * factor; ++f) mean += whole.at(m, f);
      EXPECT_NEAR(got.at(m, c), mean / factor, 1e-4) << "mel " << m << " column " << c;
    }
}

TEST(SpectrogramStream, ThirtyMinutesStayWithinItsColumns) {
  const auto fe = make_efficientat_frontend();
  std::vector<float> x = noise_and_chirp(30);
  SpectrogramStream stream(*fe, 256);
  std::size_t most_held = 0;
  for (int repeat = 0; repeat < 60; ++repeat) {  // 30 minutes, 180,000 frames
    stream.push(x);
    most_held = std::max(most_held, stream.columns_held());
  }
  const auto got = stream.finish();
  EXPECT_LE(most_held, 512u);
  EXPECT_GE(stream.frames(), 180000u);
  EXPECT_LE(stream.frames(), 180001u);
  EXPECT_NEAR(got.n_frames * got.seconds_per_frame, 1800.0 + 0.01, 0.02);
}

}  // namespace
}  // namespace soundlens
