// API keys: form, randomness, parsing of hostile text, and the keyed hash
// against an independent HMAC-SHA256 (RFC 4231 test case 2).
#include <gtest/gtest.h>

#include <set>

#include "auth/keys.h"
#include "auth/roles.h"
#include "core/error.h"

using namespace soundlens;
using namespace soundlens::auth;

TEST(Keys, GeneratedKeysHaveTheDocumentedFormAndParseBack) {
  const NewKey key = generate_key();
  ASSERT_EQ(key.text.size(), 3u + 16 + 1 + 64);
  EXPECT_TRUE(key.text.starts_with("sl_"));
  const auto parts = parse_key(key.text);
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->id, key.parts.id);
  EXPECT_EQ(parts->secret, key.parts.secret);
}

TEST(Keys, GeneratedKeysDiffer) {
  std::set<std::string> ids, secrets;
  for (int i = 0; i < 1000; ++i) {
    const NewKey key = generate_key();
    ids.insert(key.parts.id);
    secrets.insert(key.parts.secret);
  }
  EXPECT_EQ(ids.size(), 1000u);
  EXPECT_EQ(secrets.size(), 1000u);
}

TEST(Keys, MalformedKeysAreRejected) {
  const std::string good = generate_key().text;
  EXPECT_FALSE(parse_key(""));
  EXPECT_FALSE(parse_key("sl_"));
  EXPECT_FALSE(parse_key(good.substr(0, good.size() - 1)));
  EXPECT_FALSE(parse_key(good + "0"));
  EXPECT_FALSE(parse_key("xx" + good.substr(2)));
  std::string upper = good;
  upper[5] = 'A';
  EXPECT_FALSE(parse_key(upper));
  std::string no_separator = good;
  no_separator[19] = '0';
  EXPECT_FALSE(parse_key(no_separator));
  std::string non_ascii = good;
  non_ascii[30] = '\xc3';
  EXPECT_FALSE(parse_key(non_ascii));
  EXPECT_FALSE(parse_key(std::string(10 * 1024, 'a')));
  std::string nul = good;
  nul[40] = '\0';
  EXPECT_FALSE(parse_key(nul));
}

TEST(Keys, HashIsHmacSha256AsInRfc4231) {
  // RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?".
  EXPECT_EQ(hash_secret("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Keys, HashDependsOnTheInstallSecret) {
  const std::string secret = generate_key().parts.secret;
  EXPECT_NE(hash_secret("install-a", secret), hash_secret("install-b", secret));
  EXPECT_EQ(hash_secret("install-a", secret), hash_secret("install-a", secret));
}

TEST(Keys, HashesCompareExactly) {
  const std::string a = hash_secret("s", "x");
  std::string b = a;
  EXPECT_TRUE(hashes_equal(a, b));
  b.back() = b.back() == '0' ? '1' : '0';
  EXPECT_FALSE(hashes_equal(a, b));
  EXPECT_FALSE(hashes_equal(a, a.substr(1)));
  EXPECT_FALSE(hashes_equal(a, ""));
}

TEST(Roles, NamesRoundTripAndUnknownOnesAreRejected) {
  EXPECT_EQ(parse_role(role_name(Role::admin)), Role::admin);
  EXPECT_EQ(parse_role(role_name(Role::member)), Role::member);
  EXPECT_EQ(parse_scope(scope_name(Scope::read)), Scope::read);
  EXPECT_EQ(parse_scope(scope_name(Scope::write)), Scope::write);
  EXPECT_THROW(parse_role("root"), Error);
  EXPECT_THROW(parse_scope("all"), Error);
}

TEST(Roles, MembersSeeTheirOwnAdminsSeeAll) {
  const Caller member{7, "ann", Role::member, Scope::write, "k"};
  const Caller admin{1, "root", Role::admin, Scope::read, "k2"};
  const std::int64_t own = 7, other = 8;
  EXPECT_TRUE(may_see(member, &own));
  EXPECT_FALSE(may_see(member, &other));
  EXPECT_FALSE(may_see(member, nullptr));  // created with authentication off
  EXPECT_TRUE(may_see(admin, &other));
  EXPECT_TRUE(may_see(admin, nullptr));
}
