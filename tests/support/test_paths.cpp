#include "test_paths.h"

#include <cstdlib>

namespace soundlens::test {

std::string shared_dir() { return SOUNDLENS_SHARED_DIR; }
std::string shared_audio(const std::string& rel) { return shared_dir() + "/audio/" + rel; }
std::string models_dir() { return shared_dir() + "/models"; }
std::string fixture(const std::string& rel) { return std::string(SOUNDLENS_FIXTURES_DIR) + "/" + rel; }
std::string soundlens_binary() { return SOUNDLENS_BINARY; }
std::string source_dir() { return SOUNDLENS_SOURCE_DIR; }

bool have_reference_python() {
  static const bool have =
      std::system("/usr/bin/python3 -c 'import torch, torchaudio' >/dev/null 2>&1") == 0;
  return have;
}

}  // namespace soundlens::test
