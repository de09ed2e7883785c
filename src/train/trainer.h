#pragma once
// `soundlens train`: a classifier head on a base model's embeddings, from a
// labelled folder, cross-validated by file and calibrated on held-out folds.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "analysis/analysis.h"
#include "model/trained_model_files.h"
#include "train/labelled_folder.h"
#include "train/embedding_cache.h"
#include "train/metrics.h"

namespace soundlens {

struct TrainOptions {
  int folds = 5;         // k of the cross-validation (fewer when a class has fewer files)
  int hidden = -1;       // 0: logistic regression; > 0: an MLP of that width; -1: chosen by cross-validation
  std::string cache_dir;  // embeddings by file SHA-256; "" = none
  std::uint64_t seed = 1;
  AnalysisOptions windows;  // window_s, hop_s and limits of the embedding pass
  // Called as each file's embeddings are ready (from the cache or computed); `status` says which, or why it was skipped.
  std::function<void(const LabelledFile& file, const std::string& status, double seconds)> on_file;
};

struct TrainReport {
  TrainedModelFiles model;
  Metrics before, after;   // held-out folds: as trained, and as the model written (calibrated or not)
  bool calibrated = false;  // whether calibration lowered the held-out ECE, and so was kept
  double calibrated_ece = 0;  // the held-out ECE with calibration (each fold calibrated on the others)
  std::vector<std::string> skipped;
  std::string head_choice;  // which head and why
  std::string calibration;  // which and why
  int folds = 0, files = 0, windows = 0, cached = 0;
  double embed_s = 0, fit_s = 0;
};

// What the head is trained on: one embedding per window of a recording.
struct Embedder {
  std::string base_model;      // recorded in the model (soundlens-model.json's base_model)
  std::string base_sha256;     // of the weights the embeddings come from
  std::string cache_key;       // the embedding cache's folder: the base, its weights and the windows
  std::function<FileEmbeddings(const Audio&)> embed;  // Error for a file that cannot be used
};

// A base network's pooled last block per window (Analyzer::embed) under `windows`.
Embedder network_embedder(const Analyzer& base, const AnalysisOptions& windows);

// Two networks' embeddings of each of the first's windows, side by side: the first's, then the mean of
// the second's over its own windows that lie inside that window (those that overlap it when none lies
// inside). E.g. mn04_as's 10 s windows with YAMNet's 0.96 s patches pooled over each: 384 + 1024 values.
// The second runs on its own windows (its ModelInfo::window_s, else `windows`).
Embedder paired_embedder(const Analyzer& first, const Analyzer& second, const AnalysisOptions& windows);

// Error(bad_request) naming the label when too few of its files can be used.
TrainReport train_classifier(const LabelledFolder& folder, const Analyzer& base, const TrainOptions& options,
                             const std::string& name);
TrainReport train_classifier(const LabelledFolder& folder, const Embedder& embedder, const TrainOptions& options,
                             const std::string& name);

// The head's file-level probabilities of each file of `folder` (for evaluate):
// the mean of its windows' scores, through the head's own calibration.
std::vector<float> file_scores(const TrainedHead& head, const std::vector<float>& windows, int size);

}  // namespace soundlens
