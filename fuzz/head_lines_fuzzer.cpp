// The request head as the connection reactor and the gate read it, before
// the HTTP library does (any bytes a client sends): reading it never fails
// other than by saying nothing, the head it finds lies within the bytes, the
// framing it derives is one of its kinds, and erasing a header leaves the
// rest of the head and the body that follows as they were.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "http/server/head_lines.h"

using namespace soundlens::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  const auto head = parse_head_lines(bytes);
  if (!head) return 0;
  if (head->size > bytes.size() || head->size < 4 || bytes.compare(head->size - 4, 4, "\r\n\r\n") != 0) std::abort();
  if (head->method.empty() || head->target.empty()) std::abort();
  const BodyFraming framing = body_framing(*head);
  if (framing.kind == BodyFraming::Kind::length && framing.length == 0) std::abort();
  if (framing.kind != BodyFraming::Kind::length && framing.length != 0) std::abort();

  std::string erased = bytes;
  const std::size_t new_size = erase_header(erased, head->size, "Expect");
  if (new_size > head->size || erased.size() != bytes.size() - (head->size - new_size)) std::abort();
  if (erased.compare(new_size, std::string::npos, bytes, head->size, std::string::npos) != 0) std::abort();
  const auto again = parse_head_lines(erased);
  if (!again || again->size != new_size || again->method != head->method || again->target != head->target) std::abort();
  if (again->count("Expect") != 0 || again->headers.size() != head->headers.size() - head->count("Expect")) std::abort();
  return 0;
}
