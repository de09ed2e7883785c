#pragma once
// How well scores of labelled files agree with their labels: per class
// precision, recall, F1 and average precision, micro and macro figures, the
// confusion matrix (single-label) and the calibration error.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace soundlens {

// One file's truth and probabilities. Single-label: `truth` holds at most one
// class (none: the negative class) and the prediction is the most probable of
// the classes and the negative class (1 - their sum). Multi-label: a class is
// predicted at or above `threshold`.
struct ScoredFile {
  std::vector<int> truth;
  std::vector<float> probabilities;  // one per class
};

struct ClassMetrics {
  std::string label;
  int support = 0;  // files that have the class
  double precision = 0, recall = 0, f1 = 0, average_precision = 0;
};

// Reliability: bins of confidence (0-0.1, ..., 0.9-1) with their mean
// confidence and accuracy; ECE is their count-weighted gap.
struct ReliabilityBin {
  double low = 0, high = 0;
  int count = 0;
  double confidence = 0, accuracy = 0;
};

struct Metrics {
  std::vector<ClassMetrics> classes;
  double macro_f1 = 0, micro_f1 = 0, macro_average_precision = 0;
  double accuracy = 0;  // single-label: files whose prediction is their truth
  double log_loss = 0;  // mean over files (single-label) or over file x class (multi-label)
  // Single-label: rows are the truth, columns the prediction, over the
  // classes then (when there is one) the negative class.
  std::vector<std::vector<int>> confusion;
  std::vector<ReliabilityBin> reliability;
  double ece = 0;
};

Metrics score_files(const std::vector<ScoredFile>& files, const std::vector<std::string>& labels, bool multi_label,
                    bool negative_class, double threshold = 0.5);

// As soundlens-model.json and --json write them.
nlohmann::json metrics_json(const Metrics& metrics);

// The single-label prediction of one file: a class index, or -1 for the negative class.
int predicted_class(const std::vector<float>& probabilities, bool negative_class);

}  // namespace soundlens
