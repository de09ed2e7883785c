#pragma once
// Files the commands write where the user asked: Error(bad_request) naming the path when it cannot be written.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace soundlens {

void write_file(const std::string& path, std::string_view bytes);
void write_file(const std::string& path, const std::vector<std::uint8_t>& bytes);

// Before long work: Error(bad_request) naming `option` and the path when the path is a directory or its
// folder does not exist ("" passes: not asked for).
void check_output_path(const std::string& option, const std::string& path);

}  // namespace soundlens
