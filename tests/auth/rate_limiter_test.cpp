// Rate limits per key: requests per minute, audio seconds per minute, one window per key.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

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

// Issue 17: the audio budget is charged at admission, with the recording's length.
TEST(RateLimiter, AudioIsChargedWhenAdmittedSoALongRecordingHoldsTheBudget) {
  RateLimiter limiter({0, 60});
  const auto t0 = RateLimiter::Clock::now();
  EXPECT_EQ(limiter.try_charge_audio("a", 819, t0), 0);   // an untouched budget takes one long recording
  const int retry = limiter.try_charge_audio("a", 819, t0 + seconds(1));
  EXPECT_GE(retry, 810);  // it refills at 60 s a minute: the second waits for the first's 819 s
  EXPECT_LE(retry, 819);
  EXPECT_GT(limiter.admit("a", true, t0 + seconds(1)), 0);  // spent: even a short one waits
  EXPECT_EQ(limiter.try_charge_audio("b", 819, t0 + seconds(1)), 0);  // another key
  EXPECT_EQ(limiter.try_charge_audio("a", 819, t0 + seconds(820)), 0);
}

TEST(RateLimiter, ChargesFitTheBudgetAndFailedWorkIsRefunded) {
  RateLimiter limiter({0, 60});
  const auto t0 = RateLimiter::Clock::now();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.try_charge_audio("a", 18.9, t0), 0) << i;
  const int retry = limiter.try_charge_audio("a", 18.9, t0);  // 75.6 s > 60 s
  EXPECT_GE(retry, 15);
  EXPECT_LE(retry, 16);
  limiter.refund_audio("a", 18.9, t0);  // one failed
  EXPECT_EQ(limiter.try_charge_audio("a", 18.9, t0), 0);
  EXPECT_EQ(limiter.try_charge_audio("a", 18.9, t0 + seconds(16)), 0);  // 16 s later 16 s have refilled
}

TEST(RateLimiter, ConcurrentChargesCannotSlipThrough) {
  RateLimiter limiter({0, 60});
  std::atomic<int> charged = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i)
    threads.emplace_back([&] {
      if (limiter.try_charge_audio("a", 18.9) == 0) ++charged;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(charged, 3);
}
