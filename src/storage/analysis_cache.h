#pragma once
// What both analysis stores keep on this machine's disk beside an analysis:
// its figures and explanations, CACHE_DIR/ID/KEY, made again when missing.
// Keys become file names, so only a safe alphabet is accepted. Internal to
// storage; the stores decide whether the analysis exists.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace soundlens::storage {

// Letters, digits, '_', '-' and '.', not first; 1 to 128 of them (a file name: the longest key, an
// explanation of integrated gradients against a contrast with its checks, listening and a fused
// analysis' part model, is about 80).
bool is_safe_cache_key(const std::string& key);

class AnalysisCache {
 public:
  // Creates the directory (0700) if missing.
  explicit AnalysisCache(std::filesystem::path dir);
  const std::filesystem::path& dir() const { return dir_; }

  // nullopt for a file not cached, an id that is not one, or an unsafe key.
  std::optional<std::vector<std::uint8_t>> read(const std::string& id, const std::string& key) const;
  // An unsafe key is a bug of the caller: Error(internal). An id that is not one: nothing written.
  static void check_key(const std::string& key);
  void write(const std::string& id, const std::string& key, std::span<const std::uint8_t> bytes) const;
  // Everything cached of one analysis.
  void forget(const std::string& id) const;

 private:
  std::filesystem::path dir_;
};

}  // namespace soundlens::storage
