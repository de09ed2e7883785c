// Rate limits per key: requests per minute, audio seconds per minute, one window per key.
#include <gtest/gtest.h>

#include "auth/rate_limiter.h"

using namespace soundlens::auth;
using std::chrono::seconds;

TEST(RateLimiter, RequestsBeyondTheLimitWaitForTheNextMinute) {
  RateLimiter limiter({3, 0});
  const auto t0 = RateLimiter::Clock::now();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.admit("a", false, t0 + seconds(i)), 0);
  EXPECT_EQ(limiter.admit("a", false, t0 + seconds(10)), 50);  // the window started at t0
  EXPECT_EQ(limiter.admit("b", false, t0 + seconds(10)), 0);   // another key has its own
  EXPECT_EQ(limiter.admit("a", false, t0 + seconds(60)), 0);   // a new minute
}

TEST(RateLimiter, AudioSecondsLimitOnlyRequestsThatAnalyse) {
  RateLimiter limiter({0, 30});
  const auto t0 = RateLimiter::Clock::now();
  EXPECT_EQ(limiter.admit("a", true, t0), 0);
  limiter.charge_audio("a", 20, t0);
  EXPECT_EQ(limiter.admit("a", true, t0 + seconds(1)), 0);
  limiter.charge_audio("a", 15, t0 + seconds(1));
  EXPECT_GT(limiter.admit("a", true, t0 + seconds(2)), 0);  // 35 s > 30 s this minute
  EXPECT_EQ(limiter.admit("a", false, t0 + seconds(2)), 0); // reading is still fine
  EXPECT_EQ(limiter.admit("a", true, t0 + seconds(61)), 0);
}

TEST(RateLimiter, ZeroMeansUnlimited) {
  RateLimiter limiter({0, 0});
  for (int i = 0; i < 10000; ++i) ASSERT_EQ(limiter.admit("a", true), 0);
}
