#include "command_output.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>

namespace soundlens::test {

std::string command_output(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return out;
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  pclose(pipe);
  return out;
}

std::string pdf_file_text(const std::filesystem::path& pdf) {
  const std::string raw = command_output("pdftotext -layout '" + pdf.string() + "' -");
  std::string out;
  for (char c : raw) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\f' || c == '\r';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  return out;
}

std::string pdf_text(const std::string& pdf_bytes) {
  static int counter = 0;
  const auto path = std::filesystem::temp_directory_path() /
                    ("soundlens-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + ".pdf");
  std::ofstream(path, std::ios::binary) << pdf_bytes;
  std::string text = pdf_file_text(path);
  std::filesystem::remove(path);
  return text;
}

}  // namespace soundlens::test
