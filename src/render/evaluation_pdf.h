#pragma once
// The PDF report of `soundlens evaluate`: what was evaluated on what (the
// model and its weights, the folder and every file's SHA-256), the per-class
// table, the overall figures, the confusion matrix (single-label) and the
// reliability diagram with its expected calibration error, as vector
// graphics and real text. Depends only on value types.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "render/chart.h"

namespace soundlens {

struct EvaluationPdfClass {
  std::string label;
  int support = 0;
  double precision = 0, recall = 0, f1 = 0, average_precision = 0;
};

struct EvaluationPdfFile {
  std::string file;    // folder-relative
  std::string truth;   // "none" for the negative class; several joined by "; "
  std::string sha256;
  std::string scores;  // e.g. "Cough 0.91" (the most probable evaluated class)
};

struct EvaluationPdfInput {
  // What was evaluated, on what, how: name -> value rows (model, weights and their SHA-256,
  // folder, files, decision rule, windows, soundlens version, date).
  std::vector<std::pair<std::string, std::string>> provenance;
  std::string decision;  // one sentence: how a prediction is made from the scores
  std::vector<EvaluationPdfClass> classes;
  std::vector<std::pair<std::string, std::string>> overall;  // macro/micro figures, accuracy, log loss
  // Single-label: rows are the truth, columns the prediction, named by confusion_labels.
  std::vector<std::string> confusion_labels;
  std::vector<std::vector<int>> confusion;
  double ece = 0;
  ChartSpec reliability;  // drawn as vector graphics
  std::vector<EvaluationPdfFile> files;
  std::vector<std::string> skipped;  // "file: why"
  std::string soundlens_version;
};

// Returns the PDF's bytes. Error(bad_request) when the confusion matrix does not match its labels or
// the reliability chart is malformed; Error(internal) when Cairo fails.
std::vector<std::uint8_t> render_evaluation_pdf(const EvaluationPdfInput& input);

}  // namespace soundlens
