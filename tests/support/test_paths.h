#pragma once
// Where tests find the shared data and the project's fixtures.
#include <string>

namespace soundlens::test {

std::string shared_dir();                         // ../shared beside the project
std::string shared_audio(const std::string& rel); // ../shared/audio/<rel>
std::string models_dir();                         // ../shared/models
std::string fixture(const std::string& rel);      // tests/fixtures/<rel>
std::string soundlens_binary();                   // the built program
bool have_reference_python();                     // /usr/bin/python3 with torch + torchaudio
std::string source_dir();

}  // namespace soundlens::test
