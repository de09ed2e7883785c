#include "command_output.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "test_paths.h"

namespace soundlens::test {

CommandResult run_command(const std::string& command) {
  CommandResult r;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return {-1, ""};
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) r.out.append(buffer, n);
  const int status = pclose(pipe);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string command_output(const std::string& command) { return run_command(command).out; }

CommandResult run_analyze(const std::string& args) {
  return run_command(soundlens_binary() + " analyze " + args + " --model-dir '" + models_dir() + "' 2>&1");
}

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
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
