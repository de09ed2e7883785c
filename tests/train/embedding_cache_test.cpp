#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "train/embedding_cache.h"

namespace soundlens {
namespace {
namespace fs = std::filesystem;

const std::string kSha(64, 'a');

TEST(EmbeddingCacheTest, WhatIsPutIsGotBackUnderTheSameKeyOnly) {
  const auto dir = fs::temp_directory_path() / "soundlens_embedding_cache_test";
  fs::remove_all(dir);
  const EmbeddingCache cache(dir.string(), "mn04_as-899a-w10000-h5000");
  EXPECT_FALSE(cache.get(kSha));
  const FileEmbeddings e{2, 3, {1, 2, 3, 4, 5, 6}};
  cache.put(kSha, e);
  const auto back = cache.get(kSha);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->windows, 2);
  EXPECT_EQ(back->size, 3);
  EXPECT_EQ(back->values, e.values);
  EXPECT_FALSE(EmbeddingCache(dir.string(), "yamnet-2d5e-w975-h480").get(kSha));  // another model: another folder
  fs::remove_all(dir);
}

TEST(EmbeddingCacheTest, DamagedOrForeignFilesAreMissesNotData) {
  const auto dir = fs::temp_directory_path() / "soundlens_embedding_cache_damaged";
  fs::remove_all(dir);
  const EmbeddingCache cache(dir.string(), "k");
  cache.put(kSha, {1, 4, {1, 2, 3, 4}});
  const auto file = fs::path(cache.folder()) / (kSha + ".emb");
  fs::resize_file(file, fs::file_size(file) - 2);  // truncated
  EXPECT_FALSE(cache.get(kSha));
  std::ofstream(file, std::ios::binary) << "not a cache file at all";
  EXPECT_FALSE(cache.get(kSha));
  EXPECT_FALSE(cache.get("../../etc/passwd"));  // keys are hashes, never paths
  cache.put("../escape", {1, 1, {1}});
  EXPECT_FALSE(fs::exists(dir / "escape.emb"));
  fs::remove_all(dir);
}

TEST(EmbeddingCacheTest, NoFolderMeansNoCache) {
  const EmbeddingCache cache("", "k");
  cache.put(kSha, {1, 1, {1}});
  EXPECT_FALSE(cache.get(kSha));
}

}  // namespace
}  // namespace soundlens
