#include "http/server/content_types.h"

#include <filesystem>
#include <map>

namespace soundlens::http {

std::string file_content_type(const std::string& path) {
  static const std::map<std::string, std::string> types{
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"}, {".map", "application/json"}, {".txt", "text/plain; charset=utf-8"},
      {".svg", "image/svg+xml"}, {".png", "image/png"}, {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"},
      {".gif", "image/gif"}, {".webp", "image/webp"}, {".ico", "image/x-icon"}, {".woff", "font/woff"},
      {".woff2", "font/woff2"}, {".ttf", "font/ttf"}, {".webmanifest", "application/manifest+json"},
      {".wasm", "application/wasm"}, {".wav", "audio/wav"}, {".mp3", "audio/mpeg"}};
  auto it = types.find(std::filesystem::path(path).extension().string());
  return it != types.end() ? it->second : "application/octet-stream";
}

}  // namespace soundlens::http
