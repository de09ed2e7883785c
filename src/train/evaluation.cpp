#include "train/evaluation.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "audio/audio.h"
#include "core/csv_field.h"
#include "core/error.h"
#include "model/trained_model.h"

namespace soundlens {
namespace {

// The model's class index of each folder label.
std::vector<int> resolve_labels(const LabelledFolder& folder, const Analyzer& analyzer) {
  std::vector<int> indices;
  const auto& info = analyzer.model().info();
  for (const auto& label : folder.classes) {
    const auto index = analyzer.labels().find(label);
    if (!index) {
      std::string known;
      for (int c = 0; c < std::min(analyzer.labels().size(), 8); ++c) known += (c ? "; " : "") + analyzer.labels().name(c);
      throw Error(ErrorCode::bad_request, "the folder's label " + quoted_value(label) + " is not a class of " + info.name +
                                              " (" + (info.class_names.empty() ? "AudioSet class names or indices, e.g. "
                                                                                  : "its classes: ") +
                                              known + (analyzer.labels().size() > 8 ? "; ..." : "") + ")");
    }
    if (std::find(info.missing_classes.begin(), info.missing_classes.end(), *index) != info.missing_classes.end())
      throw Error(ErrorCode::bad_request, info.name + " has no output for " + analyzer.labels().name(*index));
    indices.push_back(*index);
  }
  return indices;
}

}  // namespace

EvaluationReport evaluate_model(const LabelledFolder& folder, const Analyzer& analyzer, const EvaluationOptions& o) {
  EvaluationReport r;
  r.model = analyzer.model().info().name;
  r.threshold = o.threshold;
  r.skipped = folder.skipped;
  const auto folder_classes = resolve_labels(folder, analyzer);
  const auto* trained = trained_parts(analyzer.model());
  // A single-label trained model is judged on its own classes' softmax; anything else class by class.
  std::vector<int> evaluated = folder_classes;
  if (trained && !trained->head.multi_label) {
    r.multi_label = false;
    r.negative_class = folder.negative_class || trained->head.negative_class;
    evaluated.clear();
    for (int c = 0; c < analyzer.labels().size(); ++c) evaluated.push_back(c);
  }
  for (int c : evaluated) r.labels.push_back(analyzer.labels().name(c));

  std::vector<ScoredFile> scored;
  for (const auto& f : folder.files) {
    std::vector<float> clip;
    try {
      clip = analyzer.embed(decode_file(f.path), o.windows).clip;
    } catch (const Error& e) {
      r.skipped.push_back(f.relative + ": " + e.what());
      if (o.on_file) o.on_file(f, std::string("skipped: ") + e.what());
      continue;
    }
    EvaluatedFile out;
    out.file = f.relative;
    out.sha256 = f.sha256;
    ScoredFile s;
    for (int label : f.labels) {
      const int model_class = folder_classes[std::size_t(label)];
      out.truth.push_back(folder.classes[std::size_t(label)]);
      s.truth.push_back(int(std::find(evaluated.begin(), evaluated.end(), model_class) - evaluated.begin()));
    }
    for (int c : evaluated) s.probabilities.push_back(clip[std::size_t(c)]);
    out.probabilities = s.probabilities;
    scored.push_back(std::move(s));
    r.files.push_back(std::move(out));
    if (o.on_file) o.on_file(f, "ok");
  }
  if (scored.empty()) throw Error(ErrorCode::bad_request, "no file of the folder could be evaluated (see the skipped list)");
  r.metrics = score_files(scored, r.labels, r.multi_label, r.negative_class, o.threshold);
  return r;
}

std::string evaluation_csv(const EvaluationReport& r) {
  std::ostringstream out;
  out << "file,truth";
  for (const auto& l : r.labels) out << ',' << csv_field(l);
  out << "\r\n";
  for (const auto& f : r.files) {
    std::string truth;
    for (const auto& t : f.truth) truth += (truth.empty() ? "" : ";") + t;
    out << csv_field(f.file) << ',' << csv_field(truth.empty() ? "none" : truth);
    for (float p : f.probabilities) out << ',' << p;
    out << "\r\n";
  }
  return out.str();
}

}  // namespace soundlens
