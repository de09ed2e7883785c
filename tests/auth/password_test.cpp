// Passwords: PBKDF2-HMAC-SHA256 against published test vectors (the
// RFC 6070 inputs with SHA-256, and RFC 7914 section 11; Python's
// hashlib.pbkdf2_hmac gives the same), the stored form, verification, the
// length rules; and the session token helpers (SHA-256 of "abc", FIPS 180-2).
#include <gtest/gtest.h>

#include "auth/password.h"
#include "auth/session_token.h"
#include "core/error.h"

using namespace soundlens;
using namespace soundlens::auth;

TEST(Password, Pbkdf2Sha256MatchesPublishedVectors) {
  EXPECT_EQ(pbkdf2_sha256_hex("password", "salt", 1, 32),
            "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b");
  EXPECT_EQ(pbkdf2_sha256_hex("password", "salt", 2, 32),
            "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43");
  EXPECT_EQ(pbkdf2_sha256_hex("password", "salt", 4096, 32),
            "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a");
  EXPECT_EQ(pbkdf2_sha256_hex("passwordPASSWORDpassword", "saltSALTsaltSALTsaltSALTsaltSALTsalt", 4096, 40),
            "348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1c635518c7dac47e9");
  // RFC 7914, section 11.
  EXPECT_EQ(pbkdf2_sha256_hex("passwd", "salt", 1, 64),
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
            "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783");
}

TEST(Password, StoredFormIsSchemeIterationsSaltHash) {
  const std::string stored = hash_password("correct horse battery", 1000);
  ASSERT_TRUE(stored.starts_with("pbkdf2-sha256$1000$"));
  const auto salt_start = stored.find('$', 14) + 1;
  const auto hash_start = stored.find('$', salt_start) + 1;
  const std::string salt_hex = stored.substr(salt_start, hash_start - 1 - salt_start);
  EXPECT_EQ(salt_hex.size(), 32u);  // 16 bytes
  // The hash is PBKDF2 of the password with that salt (decoded from hex).
  std::string salt;
  for (std::size_t i = 0; i < salt_hex.size(); i += 2) salt += char(std::stoi(salt_hex.substr(i, 2), nullptr, 16));
  EXPECT_EQ(stored.substr(hash_start), pbkdf2_sha256_hex("correct horse battery", salt, 1000, 32));
  // The default is the slow one.
  EXPECT_TRUE(hash_password("correct horse battery").starts_with("pbkdf2-sha256$200000$"));
}

TEST(Password, VerifyAcceptsTheRightPasswordOnly) {
  const std::string stored = hash_password("correct horse battery", 1000);
  EXPECT_TRUE(verify_password("correct horse battery", stored));
  EXPECT_FALSE(verify_password("correct horse batterz", stored));
  EXPECT_FALSE(verify_password("", stored));
  EXPECT_FALSE(verify_password("correct horse battery ", stored));
  // Two hashes of one password differ (fresh salts) and both verify.
  const std::string again = hash_password("correct horse battery", 1000);
  EXPECT_NE(again, stored);
  EXPECT_TRUE(verify_password("correct horse battery", again));
}

TEST(Password, MalformedStoredFormsNeverVerify) {
  for (const char* stored :
       {"", "pbkdf2-sha256", "pbkdf2-sha1$1000$00$00", "pbkdf2-sha256$x$00$" /* bad count */,
        "pbkdf2-sha256$0$0011$0011", "pbkdf2-sha256$1000$zz$0011", "pbkdf2-sha256$99999999999$00$00",
        "pbkdf2-sha256$1000$0011$0011$00"})
    EXPECT_FALSE(verify_password("anything at all", stored)) << stored;
}

TEST(Password, LengthRulesHaveClearErrors) {
  try {
    hash_password("short");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::bad_request);
    EXPECT_NE(std::string(e.what()).find("at least 10"), std::string::npos);
  }
  try {
    check_password_rules(std::string(1025, 'a'));
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("at most 1024"), std::string::npos);
  }
  EXPECT_NO_THROW(check_password_rules(std::string(1024, 'a')));
  EXPECT_NO_THROW(check_password_rules(std::string(10, 'a')));
  EXPECT_THROW(check_password_rules("0123456789\n"), Error);
  EXPECT_THROW(check_password_rules(std::string("01234\0" "56789", 11)), Error);
}

TEST(SessionToken, HashIsSha256AndTokensAreRandom) {
  EXPECT_EQ(session_token_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const std::string a = new_session_token(), b = new_session_token();
  EXPECT_EQ(a.size(), 64u);
  EXPECT_NE(a, b);
}

TEST(SessionToken, CookieValueFindsTheNamedCookie) {
  EXPECT_EQ(cookie_value("soundlens_session=abc", "soundlens_session"), "abc");
  EXPECT_EQ(cookie_value("a=1; soundlens_session=xyz; b=2", "soundlens_session"), "xyz");
  EXPECT_EQ(cookie_value("xsoundlens_session=no; a=1", "soundlens_session"), "");
  EXPECT_EQ(cookie_value("", "soundlens_session"), "");
  EXPECT_EQ(cookie_value("soundlens_session", "soundlens_session"), "");
  EXPECT_EQ(cookie_value("soundlens_session=\"q\"", "soundlens_session"), "q");
}
