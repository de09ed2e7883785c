#pragma once
// Content types of web files (stored audio's: service/audio_content_type.h).
#include <string>

namespace soundlens::http {

// By file extension, for the web app and the docs assets.
std::string file_content_type(const std::string& path);

}  // namespace soundlens::http
