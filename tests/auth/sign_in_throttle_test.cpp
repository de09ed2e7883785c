// Sign-in limits per account and per address (auth/sign_in_throttle.h), one
// rule per test, on a clock the test moves.
#include <gtest/gtest.h>

#include "auth/sign_in_throttle.h"

using namespace soundlens::auth;
using std::chrono::hours;
using std::chrono::seconds;
using Refusal = SignInThrottle::Refusal;

namespace {

const auto t0 = SignInThrottle::Clock::now();

// An attempt that fails (the password was wrong): admitted and never succeeded.
void fail(SignInThrottle& throttle, const std::string& name, const std::string& address, seconds at) {
  const auto attempt = throttle.admit(name, address, t0 + at);
  ASSERT_EQ(attempt.refused, Refusal::none) << name << " from " << address << " at " << at.count() << " s";
}

void sign_in(SignInThrottle& throttle, const std::string& name, const std::string& address, seconds at) {
  const auto attempt = throttle.admit(name, address, t0 + at);
  ASSERT_EQ(attempt.refused, Refusal::none) << name << " from " << address << " at " << at.count() << " s";
  throttle.succeeded(attempt, t0 + at);
}

}  // namespace

TEST(SignInThrottle, FailuresOfOneNameFromManyAddressesBackOffExponentially) {
  SignInThrottle throttle({100, 3, 900});
  for (int i = 0; i < 3; ++i) fail(throttle, "ann", "10.0.0." + std::to_string(i), seconds(0));
  // A fourth address, never seen: the name waits 1 s after its last failure, then 2, 4, ...
  auto refused = throttle.admit("ann", "10.0.0.9", t0);
  EXPECT_EQ(refused.refused, Refusal::account);
  EXPECT_EQ(refused.retry_after_s, 1);
  EXPECT_TRUE(refused.first_refusal);
  EXPECT_FALSE(throttle.admit("ann", "10.0.0.9", t0).first_refusal);  // one audit row per spell
  fail(throttle, "ann", "10.0.0.9", seconds(1));
  EXPECT_EQ(throttle.admit("ann", "10.0.0.9", t0 + seconds(1)).retry_after_s, 2);
  fail(throttle, "ann", "10.0.0.9", seconds(3));
  EXPECT_EQ(throttle.admit("ann", "10.0.0.8", t0 + seconds(3)).retry_after_s, 4);
  // Other names are not held back.
  EXPECT_EQ(throttle.admit("bob", "10.0.0.9", t0 + seconds(3)).refused, Refusal::none);
}

TEST(SignInThrottle, TheBackOffStopsAtItsLongestWait) {
  SignInThrottle throttle({100000, 1, 60});
  seconds at(0);
  for (int i = 0; i < 21; ++i) {  // admitted (and failed), refused, admitted, ...; the last one admitted
    const auto attempt = throttle.admit("ann", "10.0.0.1", t0 + at);
    if (attempt.refused == Refusal::none) continue;
    EXPECT_LE(attempt.retry_after_s, 60);
    at += seconds(attempt.retry_after_s);
  }
  EXPECT_EQ(throttle.admit("ann", "10.0.0.1", t0 + at).retry_after_s, 60);
}

TEST(SignInThrottle, AnAddressThatSignedInBeforeIsNotHeldBackByTheNamesBackOff) {
  SignInThrottle throttle({100, 3, 900});
  sign_in(throttle, "ann", "192.168.1.5", seconds(0));  // ann's own computer
  for (int i = 0; i < 10; ++i) {
    const auto attempt = throttle.admit("ann", "203.0.113.7", t0 + seconds(1 + i * 1000));  // failed
    ASSERT_EQ(attempt.refused, Refusal::none);
  }
  EXPECT_EQ(throttle.admit("ann", "203.0.113.8", t0 + seconds(9001)).refused, Refusal::account);
  const auto own = throttle.admit("ann", "192.168.1.5", t0 + seconds(9001));
  EXPECT_EQ(own.refused, Refusal::none);
  EXPECT_TRUE(own.known_address);
}

TEST(SignInThrottle, AKnownAddressLosesItsStandingAfterFailuresOfItsOwn) {
  SignInThrottle throttle({100, 3, 900});
  sign_in(throttle, "ann", "192.168.1.5", seconds(0));
  for (int i = 0; i < 3; ++i) fail(throttle, "ann", "192.168.1.5", seconds(1));
  const auto after = throttle.admit("ann", "192.168.1.5", t0 + seconds(1));
  EXPECT_FALSE(after.known_address);
  // Its own failures did not count against the name: it is tried like any other address.
  EXPECT_EQ(after.refused, Refusal::none);
  throttle.succeeded(after, t0 + seconds(1));  // the right password gives the standing back
  EXPECT_TRUE(throttle.admit("ann", "192.168.1.5", t0 + seconds(2)).known_address);
}

TEST(SignInThrottle, AnAddressOverItsLimitIsRefusedOnlyForNamesItHasNotSignedInTo) {
  SignInThrottle throttle({3, 100, 900});
  sign_in(throttle, "bob", "198.51.100.1", seconds(0));  // a proxy bob signs in through
  for (const char* name : {"ann", "cy", "dan"}) fail(throttle, name, "198.51.100.1", seconds(10));
  const auto spraying = throttle.admit("eve", "198.51.100.1", t0 + seconds(10));
  EXPECT_EQ(spraying.refused, Refusal::address);
  EXPECT_EQ(spraying.retry_after_s, 50);  // until the minute of its failures ends
  EXPECT_EQ(throttle.admit("bob", "198.51.100.1", t0 + seconds(10)).refused, Refusal::none);
  EXPECT_EQ(throttle.admit("eve", "198.51.100.2", t0 + seconds(10)).refused, Refusal::none);  // another address
  EXPECT_EQ(throttle.admit("eve", "198.51.100.1", t0 + seconds(60)).refused, Refusal::none);  // a new minute
}

TEST(SignInThrottle, SuccessesDoNotCountAgainstTheAddress) {
  SignInThrottle throttle({3, 100, 900});
  for (int i = 0; i < 10; ++i) sign_in(throttle, "user" + std::to_string(i), "198.51.100.1", seconds(1));
  EXPECT_EQ(throttle.admit("someone", "198.51.100.1", t0 + seconds(2)).refused, Refusal::none);
}

TEST(SignInThrottle, AttemptsInFlightCountAsFailedUntilTheySucceed) {
  SignInThrottle throttle({100, 3, 900});
  // Ten attempts sent at once: only the first three may be tried.
  int admitted = 0;
  for (int i = 0; i < 10; ++i) admitted += throttle.admit("ann", "10.0.0." + std::to_string(i), t0).refused == Refusal::none;
  EXPECT_EQ(admitted, 3);
}

TEST(SignInThrottle, ASuccessTakesBackOnlyItsOwnCount) {
  SignInThrottle throttle({100, 3, 900});
  fail(throttle, "ann", "10.0.0.1", seconds(0));
  fail(throttle, "ann", "10.0.0.2", seconds(0));
  sign_in(throttle, "ann", "10.0.0.3", seconds(0));  // 2 failures remain
  fail(throttle, "ann", "10.0.0.4", seconds(0));
  EXPECT_EQ(throttle.admit("ann", "10.0.0.5", t0).refused, Refusal::account);
}

TEST(SignInThrottle, FailuresAreForgottenADayAfterTheLast) {
  SignInThrottle throttle({100, 3, 900});
  for (int i = 0; i < 3; ++i) fail(throttle, "ann", "10.0.0.1", seconds(0));
  EXPECT_EQ(throttle.admit("ann", "10.0.0.2", t0 + hours(23)).refused, Refusal::none);  // after the back-off
  for (int i = 0; i < 2; ++i) fail(throttle, "ann", "10.0.0.1", hours(23) + seconds(1000 * (i + 1)));
  EXPECT_EQ(throttle.admit("ann", "10.0.0.2", t0 + hours(23) + seconds(2001)).refused, Refusal::account);
  const auto next_day = hours(23) + seconds(2000) + hours(24);
  for (int i = 0; i < 3; ++i) fail(throttle, "ann", "10.0.0.2", next_day);
}

TEST(SignInThrottle, AKnownAddressIsForgottenAfterThirtyDays) {
  SignInThrottle throttle({100, 1, 900});
  sign_in(throttle, "ann", "192.168.1.5", seconds(0));
  EXPECT_TRUE(throttle.admit("ann", "192.168.1.5", t0 + hours(24 * 29)).known_address);
  throttle.succeeded(throttle.admit("ann", "192.168.1.5", t0 + hours(24 * 29)), t0 + hours(24 * 29));
  EXPECT_TRUE(throttle.admit("ann", "192.168.1.5", t0 + hours(24 * 58)).known_address);  // each success renews it
  EXPECT_FALSE(throttle.admit("ann", "192.168.1.5", t0 + hours(24 * 90)).known_address);
}

TEST(SignInThrottle, ManyNamesTriedOnceKeepMemoryBounded) {
  SignInThrottle throttle({1000000000, 100, 900});
  for (std::size_t i = 0; i < SignInThrottle::max_entries + 5000; ++i)
    throttle.admit("name" + std::to_string(i), "10.0.0.1", t0 + std::chrono::milliseconds(i));  // none expires
  EXPECT_LE(throttle.entries(), SignInThrottle::max_entries + 1);  // the names, and the one address
  EXPECT_GT(throttle.entries(), SignInThrottle::max_entries / 2);
}
