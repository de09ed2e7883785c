#include "app/output_file.h"

#include <filesystem>
#include <fstream>

#include "core/error.h"

namespace soundlens {

void write_file(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), std::streamsize(bytes.size()));
  if (!out) throw Error(ErrorCode::bad_request, "cannot write " + path);
}

void write_file(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  write_file(path, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

void check_output_path(const std::string& option, const std::string& path) {
  if (path.empty()) return;
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_directory(path, ec))
    throw Error(ErrorCode::bad_request, "--" + option + " " + quoted_value(path) + " is a directory; name a file");
  const auto parent = fs::path(path).parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec))
    throw Error(ErrorCode::bad_request,
                "--" + option + " " + quoted_value(path) + ": the folder " + quoted_value(parent.string()) + " does not exist");
}

}  // namespace soundlens
