// The stored-id check guards every route that turns an id from a URL into a
// file name: it must accept exactly 32 lowercase hex digits. Checked against
// an independent statement of that rule.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "storage/ids.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string id(reinterpret_cast<const char*>(data), size);
  const bool expected = id.size() == 32 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
  if (soundlens::storage::is_valid_id(id) != expected) std::abort();
  // What the check accepts is safe as a single path component.
  if (expected && (id.find('/') != std::string::npos || id.find('.') != std::string::npos)) std::abort();
  static const bool fresh_ids_valid = soundlens::storage::is_valid_id(soundlens::storage::new_id());
  if (!fresh_ids_valid) std::abort();
  return 0;
}
