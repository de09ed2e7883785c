#pragma once
// What tests read back with other programs (coreutils, poppler).
#include <filesystem>
#include <string>

namespace soundlens::test {

// The standard output of a shell command ("" if it could not run).
std::string command_output(const std::string& command);

struct CommandResult {
  int status = 0;  // the exit code; -1 when it could not run or did not exit
  std::string out;
};
CommandResult run_command(const std::string& command);

// `soundlens analyze ARGS` (already shell-quoted) on ../shared/models, stdout and stderr together.
CommandResult run_analyze(const std::string& args);

// A file's bytes ("" if it cannot be read).
std::string slurp(const std::filesystem::path& path);

// The text pdftotext -layout finds in a PDF, every run of whitespace made one
// space so that line breaks do not matter. From a file, or from the bytes.
std::string pdf_file_text(const std::filesystem::path& pdf);
std::string pdf_text(const std::string& pdf_bytes);

}  // namespace soundlens::test
