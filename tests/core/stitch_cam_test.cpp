#include <gtest/gtest.h>

#include "explain/grad_cam.h"

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

}  // namespace
}  // namespace soundlens
