#include <gtest/gtest.h>

#include "analysis/windowing.h"

namespace soundlens {
namespace {

TEST(Windowing, ShortRecordingIsOneWindow) {
  const auto w = plan_windows(3200, 320000, 160000);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].start, 0u);
  EXPECT_EQ(w[0].length, 3200u);
}

TEST(Windowing, NinetySecondsIsSeventeenWindows) {
  const auto w = plan_windows(90 * 32000, 320000, 160000);
  ASSERT_EQ(w.size(), 17u);
  EXPECT_EQ(w.back().start + w.back().length, 90u * 32000);
}

TEST(Windowing, LastWindowEndsAtTheEnd) {
  const auto w = plan_windows(12 * 32000, 320000, 160000);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[1].start, 2u * 32000);
  EXPECT_EQ(w[1].length, 320000u);
}

}  // namespace
}  // namespace soundlens
