#include "app/output_file.h"

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

}  // namespace soundlens
