#pragma once
// Files the commands write where the user asked: Error(bad_request) naming the path when it cannot be written.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace soundlens {

void write_file(const std::string& path, std::string_view bytes);
void write_file(const std::string& path, const std::vector<std::uint8_t>& bytes);

}  // namespace soundlens
