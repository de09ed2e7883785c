#pragma once
// Embeddings of training files kept on disk by the file's SHA-256, so that a
// second `train` on the same folder does not run the network again. One
// folder per base model, its weights and the windows (a change of any of them
// is another folder); one file per recording, written whole or not at all.
#include <optional>
#include <string>
#include <vector>

namespace soundlens {

struct FileEmbeddings {
  int windows = 0, size = 0;
  std::vector<float> values;  // windows x size
};

class EmbeddingCache {
 public:
  // dir: empty = no cache. `key` names the base model, weights and windows.
  EmbeddingCache(std::string dir, const std::string& key);
  std::optional<FileEmbeddings> get(const std::string& sha256) const;
  void put(const std::string& sha256, const FileEmbeddings& embeddings) const;  // failures only warn
  const std::string& folder() const { return folder_; }

 private:
  std::string folder_;
};

// $XDG_CACHE_HOME/soundlens/embeddings, else $HOME/.cache/soundlens/embeddings, else "" (no cache).
std::string default_embedding_cache_dir();

}  // namespace soundlens
