#include "storage/analysis_cache.h"

#include <cctype>
#include <fstream>
#include <iterator>

#include "core/error.h"
#include "storage/files.h"
#include "storage/ids.h"

namespace soundlens::storage {

bool is_safe_cache_key(const std::string& key) {
  if (key.empty() || key.size() > 128) return false;
  for (char c : key)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) return false;
  return key.front() != '.';
}

AnalysisCache::AnalysisCache(std::filesystem::path dir) : dir_(std::move(dir)) {
  create_private_directory(dir_, true);
}

std::optional<std::vector<std::uint8_t>> AnalysisCache::read(const std::string& id, const std::string& key) const {
  if (!is_valid_id(id) || !is_safe_cache_key(key)) return std::nullopt;
  std::ifstream in(dir_ / id / key, std::ios::binary);
  if (!in) return std::nullopt;
  return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(in), {});
}

void AnalysisCache::check_key(const std::string& key) {
  if (!is_safe_cache_key(key)) throw Error(ErrorCode::internal, "invalid cache key: " + key);
}

void AnalysisCache::write(const std::string& id, const std::string& key, std::span<const std::uint8_t> bytes) const {
  check_key(key);
  if (!is_valid_id(id)) return;
  create_private_directory(dir_ / id);
  write_file_atomically(dir_ / id / key, bytes);
}

void AnalysisCache::forget(const std::string& id) const {
  if (is_valid_id(id)) remove_quietly(dir_ / id);
}

}  // namespace soundlens::storage
