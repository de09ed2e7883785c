#pragma once
// Identifiers and timestamps for stored analyses. Internal to storage.
#include <chrono>
#include <string>

namespace soundlens::storage {

// 32 lowercase hex digits from a random 128-bit value: unguessable, safe as a file name.
std::string new_id();
bool is_valid_id(const std::string& id);
// Now, as ISO 8601 UTC with milliseconds: 2024-05-01T12:00:00.123Z
std::string utc_now_iso();
// The same for any time: stored times compare as text in this form.
std::string utc_iso(std::chrono::system_clock::time_point time);

}  // namespace soundlens::storage
