#include "train/embedding_cache.h"

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <unistd.h>

namespace soundlens {
namespace fs = std::filesystem;
namespace {

constexpr char kMagic[8] = {'S', 'L', 'E', 'M', 'B', '1', 0, 0};

bool is_hex(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

std::string default_embedding_cache_dir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return (fs::path(xdg) / "soundlens" / "embeddings").string();
  if (const char* home = std::getenv("HOME"); home && *home)
    return (fs::path(home) / ".cache" / "soundlens" / "embeddings").string();
  return "";
}

EmbeddingCache::EmbeddingCache(std::string dir, const std::string& key) {
  if (!dir.empty()) folder_ = (fs::path(dir) / key).string();
}

std::optional<FileEmbeddings> EmbeddingCache::get(const std::string& sha256) const {
  if (folder_.empty() || !is_hex(sha256)) return std::nullopt;
  std::ifstream in(fs::path(folder_) / (sha256 + ".emb"), std::ios::binary);
  if (!in) return std::nullopt;
  char magic[8];
  std::int32_t windows = 0, size = 0;
  in.read(magic, 8);
  in.read(reinterpret_cast<char*>(&windows), 4);
  in.read(reinterpret_cast<char*>(&size), 4);
  if (!in || std::memcmp(magic, kMagic, 8) != 0 || windows < 1 || size < 1 || windows > (1 << 20) || size > (1 << 16))
    return std::nullopt;
  FileEmbeddings e;
  e.windows = windows, e.size = size;
  e.values.resize(std::size_t(windows) * std::size_t(size));
  in.read(reinterpret_cast<char*>(e.values.data()), std::streamsize(e.values.size() * sizeof(float)));
  if (!in || in.peek() != std::char_traits<char>::eof()) return std::nullopt;  // truncated or longer: not ours
  return e;
}

void EmbeddingCache::put(const std::string& sha256, const FileEmbeddings& e) const {
  if (folder_.empty() || !is_hex(sha256)) return;
  std::error_code ec;
  fs::create_directories(folder_, ec);
  const auto final_path = fs::path(folder_) / (sha256 + ".emb");
  const auto temp = fs::path(folder_) / (sha256 + ".emb.tmp" + std::to_string(::getpid()));
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    const std::int32_t windows = e.windows, size = e.size;
    out.write(kMagic, 8);
    out.write(reinterpret_cast<const char*>(&windows), 4);
    out.write(reinterpret_cast<const char*>(&size), 4);
    out.write(reinterpret_cast<const char*>(e.values.data()), std::streamsize(e.values.size() * sizeof(float)));
    if (!out) {
      std::cerr << "soundlens: could not write the embedding cache in " << folder_ << "; going on without it\n";
      fs::remove(temp, ec);
      return;
    }
  }
  fs::rename(temp, final_path, ec);  // whole or not at all
  if (ec) fs::remove(temp, ec);
}

}  // namespace soundlens
