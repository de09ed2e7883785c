// The window an event's checks run on: centred, widened to a long event, kept inside the recording.
#include <gtest/gtest.h>

#include "exports/event_window.h"

namespace soundlens {
namespace {

TEST(EventWindow, CentredOnTheEventWhereTheRecordingAllows) {
  const auto w = event_window(50.0, 51.0, 10.0, 120.0);
  EXPECT_DOUBLE_EQ(w.start_s, 45.5);
  EXPECT_DOUBLE_EQ(w.end_s, 55.5);
}

TEST(EventWindow, MovedInsideTheRecordingAtEitherEnd) {
  auto w = event_window(1.0, 2.0, 10.0, 120.0);
  EXPECT_DOUBLE_EQ(w.start_s, 0.0);
  EXPECT_DOUBLE_EQ(w.end_s, 10.0);
  w = event_window(118.5, 120.0, 10.0, 120.0);
  EXPECT_DOUBLE_EQ(w.start_s, 110.0);
  EXPECT_DOUBLE_EQ(w.end_s, 120.0);
}

TEST(EventWindow, ALongEventIsCoveredWhole) {
  const auto w = event_window(20.0, 45.0, 10.0, 120.0);
  EXPECT_DOUBLE_EQ(w.start_s, 20.0);
  EXPECT_DOUBLE_EQ(w.end_s, 45.0);
}

TEST(EventWindow, ARecordingShorterThanTheWindowIsTakenWhole) {
  const auto w = event_window(1.0, 2.0, 10.0, 4.0);
  EXPECT_DOUBLE_EQ(w.start_s, 0.0);
  EXPECT_DOUBLE_EQ(w.end_s, 4.0);
}

TEST(EventWindow, TimesOutsideTheRecordingAreClampedNotTrusted) {
  auto w = event_window(-5.0, 300.0, 10.0, 120.0);
  EXPECT_DOUBLE_EQ(w.start_s, 0.0);
  EXPECT_DOUBLE_EQ(w.end_s, 120.0);
  w = event_window(200.0, 100.0, 10.0, 120.0);  // past the end and reversed
  EXPECT_DOUBLE_EQ(w.start_s, 110.0);
  EXPECT_DOUBLE_EQ(w.end_s, 120.0);
  w = event_window(1.0, 2.0, 0.975, 0.0);  // an empty recording
  EXPECT_DOUBLE_EQ(w.start_s, 0.0);
  EXPECT_DOUBLE_EQ(w.end_s, 0.0);
}

}  // namespace
}  // namespace soundlens
