#include <gtest/gtest.h>

#include "explain/stitch_cam.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <tuple>

namespace soundlens {
namespace {

CamGrid grid(int rows, int cols, std::vector<float> v) {
  CamGrid g;
  g.rows = rows;
  g.cols = cols;
  g.values = std::move(v);
  return g;
}

TEST(StitchCam, OneWindowIsNormalisedUnchanged) {
  std::vector<CamGrid> g{grid(2, 3, {0, 1, 2, 4, 0, 0})};
  std::vector<CamPlacement> at{{0.0}};
  const auto m = stitch_cam(g, at, 0.32, 0.96);
  ASSERT_EQ(m.rows, 2);
  ASSERT_EQ(m.cols, 3);
  EXPECT_FLOAT_EQ(m.at(0, 2), 0.5f);
  EXPECT_FLOAT_EQ(m.at(1, 0), 1.0f);
  EXPECT_FLOAT_EQ(m.at(0, 0), 0.0f);
}

TEST(StitchCam, OverlappingWindowsTakeTheMaximumAndCoverTheRecording) {
  // Two 4-cell windows of 1 s cells; the second starts at 2 s: 6 s in all.
  std::vector<CamGrid> g{grid(1, 4, {1, 0, 0, 0}), grid(1, 4, {0, 0, 0, 3})};
  std::vector<CamPlacement> at{{0.0}, {2.0}};
  const auto m = stitch_cam(g, at, 1.0, 6.0);
  ASSERT_EQ(m.cols, 6);
  EXPECT_NEAR(m.at(0, 0), 1.0f / 3, 1e-6);
  EXPECT_FLOAT_EQ(m.at(0, 5), 1.0f);
  EXPECT_FLOAT_EQ(m.at(0, 3), 0.0f);
}

TEST(StitchCam, AllZeroStaysZero) {
  std::vector<CamGrid> g{grid(1, 2, {0, 0})};
  std::vector<CamPlacement> at{{0.0}};
  const auto m = stitch_cam(g, at, 0.32, 0.5);
  for (float v : m.values) EXPECT_EQ(v, 0.0f);
}

// The stitching as first written: every window against every column. The
// stitcher visits only the columns a window can cover; the maps must agree.
std::vector<float> stitch_every_column(const std::vector<CamGrid>& windows, const std::vector<double>& starts,
                                       double spc, double duration_s) {
  const int rows = windows.front().rows, cols = std::max(1, int(std::ceil(duration_s / spc - 1e-9)));
  std::vector<float> values(std::size_t(rows) * cols, 0.0f);
  for (std::size_t w = 0; w < windows.size(); ++w) {
    const auto& g = windows[w];
    const double first = starts[w], last = first + g.cols * spc;
    for (int col = 0; col < cols; ++col) {
      const double t = (col + 0.5) * spc;
      if (t < first || t >= last) continue;
      const double u = std::clamp((t - first) / spc - 0.5, 0.0, double(g.cols - 1));
      const int c0 = int(std::floor(u)), c1 = std::min(c0 + 1, g.cols - 1);
      const float f = float(u - c0);
      for (int row = 0; row < rows; ++row) {
        const float v = g.values[std::size_t(row) * g.cols + c0] * (1 - f) + g.values[std::size_t(row) * g.cols + c1] * f;
        values[std::size_t(row) * cols + col] = std::max(values[std::size_t(row) * cols + col], v);
      }
    }
  }
  const float peak = *std::max_element(values.begin(), values.end());
  if (peak > 0)
    for (auto& v : values) v /= peak;
  return values;
}

TEST(StitchCam, VisitingOnlyTheCoveredColumnsGivesTheSameMapAsVisitingEveryColumn) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> value(0.0f, 1.0f);
  for (const auto& [window_s, hop_s, spc, duration_s] :
       {std::tuple{10.0, 5.0, 0.32, 93.7}, {5.0, 1.0, 0.32, 61.0}, {0.975, 0.48, 0.32, 12.3}, {10.0, 5.0, 0.08, 30.0},
        {10.0, 10.0, 0.32, 4.1}}) {
    std::vector<CamGrid> windows;
    std::vector<double> starts;
    const int cols = int(std::lround(window_s / spc));
    for (double s = 0; s + window_s < duration_s; s += hop_s) starts.push_back(s);
    starts.push_back(std::max(0.0, duration_s - window_s));
    for (std::size_t w = 0; w < starts.size(); ++w) {
      std::vector<float> v(std::size_t(4 * cols));
      for (auto& x : v) x = value(rng);
      windows.push_back(grid(4, cols, v));
    }
    std::vector<CamPlacement> at;
    for (double s : starts) at.push_back({s});
    EXPECT_EQ(stitch_cam(windows, at, spc, duration_s).values, stitch_every_column(windows, starts, spc, duration_s))
        << window_s << " / " << hop_s << " s windows, " << spc << " s columns";
  }
}

}  // namespace
}  // namespace soundlens
