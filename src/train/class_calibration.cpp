#include "train/class_calibration.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "train/calibration.h"

namespace soundlens {
namespace {

constexpr int kFolds = 5;

float logit(float p) {
  const double q = std::clamp(double(p), 1e-7, 1 - 1e-7);
  return float(std::log(q / (1 - q)));
}
float sigmoid(double z) { return float(1 / (1 + std::exp(-z))); }

}  // namespace

ClassCalibrationReport calibrate_classes(const EvaluationReport& r, const Analyzer& analyzer,
                                         const LabelledFolder& folder, const std::string& folder_name) {
  if (!analyzer.model().info().class_names.empty())
    throw Error(ErrorCode::bad_request, "a model made by soundlens train is calibrated by train itself");
  const int classes = int(r.labels.size());
  CalibrationData data;
  std::vector<ScoredFile> raw;
  for (const auto& f : r.files) {
    std::vector<float> scores;
    for (float p : f.probabilities) scores.push_back(logit(p));
    std::vector<int> truth;
    for (const auto& t : f.truth) truth.push_back(int(std::find(r.labels.begin(), r.labels.end(), t) - r.labels.begin()));
    data.scores.push_back(scores);
    data.truth.push_back(truth);
    raw.push_back({truth, f.probabilities});
  }
  for (int c = 0; c < classes; ++c) {
    int positives = 0;
    for (const auto& t : data.truth) positives += std::find(t.begin(), t.end(), c) != t.end();
    if (positives < 2 || int(data.truth.size()) - positives < 2)
      throw Error(ErrorCode::bad_request, "the label '" + r.labels[std::size_t(c)] + "' needs at least two files with it and "
                                          "two without it to be calibrated (it has " + std::to_string(positives) + " of " +
                                          std::to_string(data.truth.size()) + ")");
  }
  ClassCalibrationReport out;
  out.folds = std::min<int>(kFolds, int(data.scores.size()));
  // Held-out: files dealt to folds in turn, each fold calibrated by the others.
  std::vector<ScoredFile> held_out(raw.size());
  for (int k = 0; k < out.folds; ++k) {
    CalibrationData others;
    for (std::size_t i = 0; i < data.scores.size(); ++i)
      if (int(i) % out.folds != k) others.scores.push_back(data.scores[i]), others.truth.push_back(data.truth[i]);
    const auto c = fit_platt(others, classes);
    for (std::size_t i = 0; i < data.scores.size(); ++i) {
      if (int(i) % out.folds != k) continue;
      held_out[i].truth = data.truth[i];
      for (int j = 0; j < classes; ++j)
        held_out[i].probabilities.push_back(sigmoid(c.a[std::size_t(j)] * data.scores[i][std::size_t(j)] + c.b[std::size_t(j)]));
    }
  }
  out.before = score_files(raw, r.labels, true, false, r.threshold);
  out.after = score_files(held_out, r.labels, true, false, r.threshold);
  const auto all = fit_platt(data, classes);
  auto& f = out.file;
  f.model = analyzer.model().info().name;
  f.weights_sha256 = analyzer.model().info().weights_sha256;
  for (int c = 0; c < classes; ++c) {
    if (!(all.a[std::size_t(c)] > 0))
      throw Error(ErrorCode::bad_request, "the model's scores for '" + r.labels[std::size_t(c)] +
                                              "' go against the folder's labels: it cannot be calibrated to them");
    f.classes.push_back({*analyzer.labels().find(r.labels[std::size_t(c)]), all.a[std::size_t(c)], all.b[std::size_t(c)]});
    f.labels.push_back(r.labels[std::size_t(c)]);
  }
  nlohmann::json files = nlohmann::json::array();
  for (const auto& lf : folder.files) files.push_back({{"file", lf.relative}, {"sha256", lf.sha256}});
  f.fitted_on = {{"folder", folder_name}, {"files", files}, {"skipped", r.skipped}};
  f.metrics = {{"ece_before", out.before.ece}, {"ece_after", out.after.ece}, {"folds", out.folds},
               {"before", metrics_json(out.before)}, {"after_held_out", metrics_json(out.after)}};
  return out;
}

}  // namespace soundlens
