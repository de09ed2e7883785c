#pragma once
// `soundlens evaluate`: a model's scores on a labelled folder (the layout
// `train` reads) against its labels. For a trained model, the folder's labels
// are its own; for an AudioSet model, AudioSet class names or indices, scored
// as the multi-label tagger it is, on those classes only.
#include <functional>
#include <string>
#include <vector>

#include "analysis/analysis.h"
#include "train/labelled_folder.h"
#include "train/metrics.h"

namespace soundlens {

struct EvaluationOptions {
  double threshold = 0.5;   // multi-label: a class is predicted at or above it
  AnalysisOptions windows;  // window_s, hop_s, limits
  std::function<void(const LabelledFile& file, const std::string& status)> on_file;
};

struct EvaluatedFile {
  std::string file;                 // folder-relative
  std::string sha256;               // of the file's bytes
  std::vector<std::string> truth;   // empty: the negative class
  std::vector<float> probabilities; // per evaluated class: the clip probability (the maximum over windows)
};

struct EvaluationReport {
  std::string model;
  std::vector<std::string> labels;  // the evaluated classes
  bool multi_label = true, negative_class = false;
  double threshold = 0.5;
  Metrics metrics;
  std::vector<EvaluatedFile> files;
  std::vector<std::string> skipped;
};

// Error(bad_request) naming a label the model does not have.
EvaluationReport evaluate_model(const LabelledFolder& folder, const Analyzer& analyzer, const EvaluationOptions& options);

// file,truth,<one column per class>: every file's scores, to recompute anything.
std::string evaluation_csv(const EvaluationReport& report);

}  // namespace soundlens
