#include "service/audio_content_type.h"

#include <map>

namespace soundlens::service {

std::string audio_content_type(const std::string& container) {
  static const std::map<std::string, std::string> types{
      {"wav", "audio/wav"},   {"mp3", "audio/mpeg"}, {"ogg", "audio/ogg"}, {"flac", "audio/flac"},
      {"aac", "audio/aac"},   {"aiff", "audio/aiff"}, {"au", "audio/basic"}, {"matroska,webm", "audio/webm"},
      {"mov,mp4,m4a,3gp,3g2,mj2", "audio/mp4"}, {"caf", "audio/x-caf"}, {"w64", "audio/wav"}};
  auto it = types.find(container);
  return it != types.end() ? it->second : "application/octet-stream";
}

}  // namespace soundlens::service
