#pragma once
// A small classifier head trained on a base model's embeddings
// (ForwardPass::embedding): standardisation, then one linear layer (logistic
// regression) or two with a ReLU between (an MLP). No Torch type appears here;
// training runs in LibTorch (head_training.cpp).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace soundlens {

struct DenseLayer {
  int inputs = 0, outputs = 0;
  std::vector<float> weight;  // (outputs, inputs), row-major
  std::vector<float> bias;    // outputs
};

// How the head's scores become the logits every stage reads through a sigmoid.
// multi_label: each class on its own (the scores are the logits). Single-label:
// one softmax over the classes and the negative class (when the training
// folders had one), and the logit of class i is logit(softmax_i), so that the
// sigmoid every stage applies gives the softmax probability.
struct TrainedHead {
  std::vector<float> mean, scale;  // per embedding value: (x - mean) * scale
  std::vector<DenseLayer> layers;  // 1 or 2; ReLU between
  bool multi_label = false;
  bool negative_class = false;     // single-label: the last score is the negative class, not reported
  // Calibration folded in after training (calibration.h): scores / temperature
  // (single-label) or a * score + b per class (multi-label, Platt).
  double temperature = 1;
  std::vector<float> platt_a, platt_b;

  int inputs() const { return int(mean.size()); }
  int scores() const { return layers.empty() ? 0 : layers.back().outputs; }
  int classes() const { return scores() - (negative_class ? 1 : 0); }
  std::string kind() const { return layers.size() > 1 ? "mlp" : "logistic"; }
};

// A class's event threshold (events start where its evidence reaches `threshold` and last while it stays
// above `low`), fitted by soundlens train on the held-out folds and kept in MODEL/thresholds.csv.
struct EventThreshold {
  int index = 0;
  double threshold = 0.5, low = 0.25;
  double train_f1 = 0;  // the held-out F1 it was chosen for
};

// The raw scores of one embedding (before calibration and the logit mapping).
std::vector<float> head_scores(const TrainedHead& head, std::span<const float> embedding);
// The logits the model reports (classes() values), calibration applied.
std::vector<float> head_logits(const TrainedHead& head, std::span<const float> embedding);
// The same mapping from scores to logits, with a temperature or Platt
// parameters other than the head's (what calibration fits).
std::vector<float> scores_to_logits(const TrainedHead& head, std::span<const float> scores, double temperature,
                                    std::span<const float> platt_a, std::span<const float> platt_b);

struct HeadTrainingOptions {
  int hidden = 0;              // 0: logistic regression; else the MLP's hidden width
  double weight_decay = 1e-3;  // L2 on the weights
  int epochs = 300;            // full-batch steps
  std::uint64_t seed = 1;
};

// Fits a head on rows x dims embeddings. Targets: multi_label, rows x scores
// values of 0 or 1; single-label, one score index per row (the negative class,
// when there is one, is the last). sample_weight (optional, rows) weighs rows,
// e.g. so that every file counts once whatever its number of windows.
struct HeadTrainingData {
  std::span<const float> embeddings;  // rows x dims
  int rows = 0, dims = 0, scores = 0;
  bool multi_label = false, negative_class = false;
  std::span<const float> multi_targets;  // rows x scores
  std::span<const int> single_targets;   // rows
  std::span<const float> sample_weight;  // rows, or empty
};
TrainedHead train_head(const HeadTrainingData& data, const HeadTrainingOptions& options);

}  // namespace soundlens
