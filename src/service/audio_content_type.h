#pragma once
// The MIME type a stored recording is served with, from what the decoder found.
#include <string>

namespace soundlens::service {

// FFmpeg's container name ("wav", "mp3", "matroska,webm", ...) -> MIME type.
std::string audio_content_type(const std::string& container);

}  // namespace soundlens::service
