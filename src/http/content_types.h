#pragma once
// Content types of stored audio (from what the decoder found) and of web files.
#include <string>

namespace soundlens::http {

// FFmpeg's container name ("wav", "mp3", "matroska,webm", ...) -> MIME type.
std::string audio_content_type(const std::string& container);
// By file extension, for the web app and the docs assets.
std::string file_content_type(const std::string& path);

}  // namespace soundlens::http
