// `--auth auto`: off on loopback only.
#include <gtest/gtest.h>

#include "auth/auth_mode.h"
#include "core/error.h"

using namespace soundlens;
using namespace soundlens::auth;

TEST(AuthMode, AutoIsOffOnLoopbackOnly) {
  for (const char* host : {"127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"})
    EXPECT_EQ(resolve_auth_mode("auto", host), AuthMode::off) << host;
  for (const char* host : {"0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "example.org", "128.0.0.1", ""})
    EXPECT_EQ(resolve_auth_mode("auto", host), AuthMode::required) << host;
}

TEST(AuthMode, ExplicitSettingsWin) {
  EXPECT_EQ(resolve_auth_mode("required", "127.0.0.1"), AuthMode::required);
  EXPECT_EQ(resolve_auth_mode("off", "0.0.0.0"), AuthMode::off);
  EXPECT_THROW(resolve_auth_mode("maybe", "127.0.0.1"), Error);
  EXPECT_EQ(auth_mode_name(AuthMode::off), "off");
  EXPECT_EQ(auth_mode_name(AuthMode::required), "required");
}
