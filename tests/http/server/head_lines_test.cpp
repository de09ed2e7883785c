// The request head as the connection reactor and the gate read it, before
// the HTTP library does: how the body is framed, the headers they need.
#include <gtest/gtest.h>

#include "http/server/head_lines.h"

namespace soundlens::http {
namespace {

BodyFraming framing_of(const std::string& head) {
  const auto lines = parse_head_lines(head);
  EXPECT_TRUE(lines) << head;
  return lines ? body_framing(*lines) : BodyFraming{};
}

TEST(HeadLines, ReadsTheRequestLineAndHeadersCaseInsensitively) {
  const auto head = parse_head_lines("POST /api/v1/analyses?async=1 HTTP/1.1\r\nHost: x\r\n"
                                     "authorization:  Bearer k \r\nX-Empty:\r\n\r\nBODY");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->method, "POST");
  EXPECT_EQ(head->target, "/api/v1/analyses?async=1");
  EXPECT_EQ(head->header("Authorization"), "Bearer k");
  EXPECT_EQ(head->header("x-empty"), "");
  EXPECT_FALSE(head->header("Cookie"));
  EXPECT_EQ(head->size, std::string("POST /api/v1/analyses?async=1 HTTP/1.1\r\nHost: x\r\n"
                                    "authorization:  Bearer k \r\nX-Empty:\r\n\r\n").size());
}

TEST(HeadLines, IncompleteOrMalformedHeadsAreNotRead) {
  EXPECT_FALSE(parse_head_lines("GET / HTTP/1.1\r\nHost: x\r\n"));
  EXPECT_FALSE(parse_head_lines("GARBAGE\r\n\r\n"));
  EXPECT_FALSE(parse_head_lines("GET /\r\n\r\n"));
}

TEST(HeadLines, TellHowTheBodyIsFramed) {
  using Kind = BodyFraming::Kind;
  EXPECT_EQ(framing_of("GET / HTTP/1.1\r\n\r\n").kind, Kind::none);
  EXPECT_EQ(framing_of("DELETE /api/v1/analyses/x HTTP/1.1\r\n\r\n").kind, Kind::none);
  EXPECT_EQ(framing_of("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n").kind, Kind::none);
  const auto length = framing_of("POST / HTTP/1.1\r\ncontent-length: 1000000\r\nExpect: 100-Continue\r\n\r\n");
  EXPECT_EQ(length.kind, Kind::length);
  EXPECT_EQ(length.length, 1000000u);
  EXPECT_TRUE(length.expects_continue);
  EXPECT_EQ(framing_of("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n").kind, Kind::chunked);
  // Whatever is unclear goes to the gate, which refuses what the library would misread.
  for (const char* head : {"POST / HTTP/1.1\r\nContent-Length: 12x\r\n\r\n",
                           "POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
                           "POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
                           "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
                           "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n",
                           "POST / HTTP/1.1\r\nHost: x\r\n\r\n"})
    EXPECT_EQ(framing_of(head).kind, Kind::unclear) << head;
}

TEST(HeadLines, AnAnsweredHeaderIsErasedFromTheHead) {
  std::string bytes = "POST / HTTP/1.1\r\nHost: x\r\nexpect: 100-continue\r\nContent-Length: 2\r\n\r\nab";
  const std::size_t head = parse_head_lines(bytes)->size;
  const std::size_t shorter = erase_header(bytes, head, "Expect");
  EXPECT_EQ(bytes, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nab");
  EXPECT_EQ(shorter, head - std::string("expect: 100-continue\r\n").size());
  // A name that only starts the same, or sits in the body, is left alone.
  std::string other = "POST / HTTP/1.1\r\nExpected: 1\r\n\r\nExpect: x\r\n";
  EXPECT_EQ(erase_header(other, parse_head_lines(other)->size, "Expect"), parse_head_lines(other)->size);
  EXPECT_EQ(other, "POST / HTTP/1.1\r\nExpected: 1\r\n\r\nExpect: x\r\n");
}

}  // namespace
}  // namespace soundlens::http
