// The checks on a request's head (Host, Content-Encoding, Content-Length,
// Transfer-Encoding) and the escaping of the text request log.
#include <gtest/gtest.h>

#include "http/server/request_guard.h"
#include "http/server/request_log.h"

namespace soundlens::http {
namespace {

TEST(HostAllowList, DefaultIsTheBindAddressAndLoopbackNames) {
  const HostAllowList hosts("", "127.0.0.1");
  for (const char* host : {"localhost", "localhost:8000", "LOCALHOST:1", "127.0.0.1", "127.0.0.1:8000", "[::1]:8000",
                           "[::1]", "localhost."})
    EXPECT_TRUE(hosts.allows(host)) << host;
  for (const char* host : {"evil.example", "evil.example:8000", "localhost.evil.example", "127.0.0.1.nip.io", "",
                           "localhost:abc", "localhost:", "[::1", "127.0.0.2", "localhost:8000:1"})
    EXPECT_FALSE(hosts.allows(host)) << host;
}

TEST(HostAllowList, ConfiguredNamesReplaceTheDefault) {
  const HostAllowList hosts("sound.example.org, Lab-Box:9000", "0.0.0.0");
  EXPECT_TRUE(hosts.allows("sound.example.org"));
  EXPECT_TRUE(hosts.allows("SOUND.example.org:443"));
  EXPECT_TRUE(hosts.allows("lab-box"));
  EXPECT_FALSE(hosts.allows("localhost"));
  EXPECT_FALSE(hosts.allows("0.0.0.0"));
  EXPECT_TRUE(HostAllowList("*", "0.0.0.0").allows("anything.example"));
  // A wildcard bind address is not a name anyone should use.
  EXPECT_FALSE(HostAllowList("", "0.0.0.0").allows("0.0.0.0:8000"));
  EXPECT_TRUE(HostAllowList("", "192.168.1.5").allows("192.168.1.5:8000"));
  EXPECT_TRUE(HostAllowList("", "::1").allows("[::1]:8000"));
}

RequestHead post(std::optional<std::string> length, std::optional<std::string> encoding = std::nullopt,
                 std::optional<std::string> transfer = std::nullopt) {
  return {"POST", "127.0.0.1:8000", std::move(length), std::move(encoding), std::move(transfer)};
}

TEST(RequestGuard, CompressedBodiesAre415) {
  const HostAllowList hosts("", "127.0.0.1");
  const GuardLimits limits{101u << 20, 100u << 20};
  for (const char* encoding : {"gzip", "deflate", "br", "GZIP", "gzip, identity", "x-gzip"}) {
    const auto refusal = check_request_head(post("1000", encoding), hosts, limits);
    ASSERT_TRUE(refusal) << encoding;
    EXPECT_EQ(refusal->status, 415);
    EXPECT_EQ(refusal->code, ErrorCode::unsupported_format);
  }
  EXPECT_FALSE(check_request_head(post("1000", "identity"), hosts, limits));
}

TEST(RequestGuard, OversizedContentLengthIs413NamingTheConfiguredLimit) {
  const HostAllowList hosts("", "127.0.0.1");
  const GuardLimits limits{101u << 20, 100u << 20};
  const auto refusal = check_request_head(post(std::to_string((101u << 20) + 1)), hosts, limits);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->status, 413);
  EXPECT_NE(refusal->message.find("100 MB"), std::string::npos) << refusal->message;
  EXPECT_EQ(refusal->message.find("101"), std::string::npos) << refusal->message;
  EXPECT_FALSE(check_request_head(post(std::to_string(101u << 20)), hosts, limits));
  for (const char* bad : {"-1", "12abc", "", "99999999999999999999999", "0x10"}) {
    const auto r = check_request_head(post(bad), hosts, limits);
    ASSERT_TRUE(r) << bad;
    EXPECT_EQ(r->status, 400) << bad;
  }
  EXPECT_EQ(size_limit_text(1536u << 10), "1572864 bytes");
}

TEST(RequestGuard, OnlyChunkedTransferEncodingAndAllowedHosts) {
  const HostAllowList hosts("", "127.0.0.1");
  const GuardLimits limits{1u << 20, 1u << 20};
  EXPECT_FALSE(check_request_head(post(std::nullopt, std::nullopt, "chunked"), hosts, limits));
  EXPECT_TRUE(check_request_head(post(std::nullopt, std::nullopt, "gzip, chunked"), hosts, limits));
  RequestHead rebinding{"GET", "attacker.example:8000", std::nullopt, std::nullopt, std::nullopt};
  const auto refusal = check_request_head(rebinding, hosts, limits);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->status, 400);
  EXPECT_NE(refusal->message.find("--allowed-hosts"), std::string::npos);
  rebinding.host.reset();  // HTTP/1.0 without Host: not a browser
  EXPECT_FALSE(check_request_head(rebinding, hosts, limits));
}

TEST(RequestLog, ControlCharactersCannotForgeALine) {
  testing::internal::CaptureStderr();
  write_log_line(LogFormat::text, {"GET", "/x\nGET /admin 200 0.1ms\r\x1b[2J \\", 404, 1.0, ""});
  const std::string text = testing::internal::GetCapturedStderr();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
  EXPECT_EQ(text.find('\r'), std::string::npos);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_NE(text.find("/x\\x0aGET\\x20/admin"), std::string::npos) << text;
  EXPECT_EQ(text.back(), '\n');
  testing::internal::CaptureStderr();
  write_log_line(LogFormat::json, {"GET", "/x\nGET /admin 200", 404, 1.0, ""});
  const std::string json = testing::internal::GetCapturedStderr();
  EXPECT_EQ(std::count(json.begin(), json.end(), '\n'), 1) << json;
}

}  // namespace
}  // namespace soundlens::http
