#pragma once
// The shared recordings the real-audio tests read.
#include <filesystem>
#include <string>
#include <vector>

#include "test_paths.h"

namespace soundlens::test {

inline std::vector<std::string> shared_audio_files(const std::string& folder) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(shared_audio(folder))) {
    const auto ext = entry.path().extension().string();
    if (ext == ".wav" || ext == ".flac" || ext == ".mp3" || ext == ".ogg") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace soundlens::test
