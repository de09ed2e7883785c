#include "app/train_output.h"

#include <algorithm>
#include <iomanip>
#include <ostream>

namespace soundlens {

void print_metrics(std::ostream& out, const Metrics& m, bool negative_class) {
  std::size_t width = 5;
  for (const auto& c : m.classes) width = std::max(width, c.label.size());
  out << std::fixed << std::setprecision(3);
  out << "  " << std::left << std::setw(int(width)) << "label" << std::right << "  support  precision  recall     F1     AP\n";
  for (const auto& c : m.classes)
    out << "  " << std::left << std::setw(int(width)) << c.label << std::right << std::setw(9) << c.support
        << std::setw(11) << c.precision << std::setw(8) << c.recall << std::setw(7) << c.f1 << std::setw(7)
        << c.average_precision << "\n";
  out << "  macro F1 " << m.macro_f1 << ", micro F1 " << m.micro_f1 << ", macro AP " << m.macro_average_precision;
  if (!m.confusion.empty()) out << ", accuracy " << m.accuracy;
  out << "\n";
  if (m.confusion.empty()) return;
  out << "  confusion (rows: true label, columns: predicted, in the order above"
      << (negative_class ? ", then none" : "") << "):\n";
  for (std::size_t r = 0; r < m.confusion.size(); ++r) {
    const std::string name = r < m.classes.size() ? m.classes[r].label : "none";
    out << "  " << std::left << std::setw(int(width)) << name << std::right;
    for (int v : m.confusion[r]) out << std::setw(5) << v;
    out << "\n";
  }
}

void print_train_report(std::ostream& out, const TrainReport& r, const std::string& dir) {
  const auto& t = r.model.training;
  out << "Trained " << r.model.name << " on " << r.model.base_model << "'s embeddings: " << r.model.labels.size()
      << " labels (" << (t.value("multi_label", false) ? "multi-label" : "single-label")
      << (t.value("negative_class", false) ? ", with a negative class" : "") << "), " << r.files << " files, "
      << r.windows << " windows\n";
  out << std::fixed << std::setprecision(1) << "Embeddings " << r.embed_s << " s (" << r.cached
      << " files from the cache), fitting " << r.fit_s << " s\n";
  out << "Head: " << r.head_choice << "\n";
  for (const auto& s : r.skipped) out << "Skipped: " << s << "\n";
  out << "Held-out folds of a " << r.folds << "-fold cross-validation by file, as the model is written:\n";
  print_metrics(out, r.after, t.value("negative_class", false));
  out << std::setprecision(3) << "Calibration: " << r.calibration << ". Expected calibration error on the held-out folds: "
      << r.before.ece << " as trained, " << r.calibrated_ece << " calibrated (each fold calibrated on the others)"
      << (r.calibrated ? "" : ": not kept") << "\n";
  if (!r.model.event_thresholds.empty()) {
    out << std::setprecision(2) << "Event thresholds (thresholds.csv; held-out F1 of the file's strongest window):";
    for (const auto& e : r.model.event_thresholds)
      out << (e.index ? ", " : " ") << r.model.labels[std::size_t(e.index)] << " " << e.threshold << " (F1 " << e.train_f1 << ")";
    out << "\n";
  }
  out << "Written: " << dir << " (use it with --model " << dir << ")\n";
}

namespace {

nlohmann::json event_thresholds_json(const TrainReport& r) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : r.model.event_thresholds)
    out.push_back({{"label", r.model.labels[std::size_t(e.index)]}, {"threshold", e.threshold}, {"low", e.low},
                   {"train_f1", e.train_f1}});
  return out;
}

}  // namespace

nlohmann::json train_report_json(const TrainReport& r, const std::string& dir) {
  return {{"model", dir},
          {"name", r.model.name},
          {"base_model", r.model.base_model},
          {"labels", r.model.labels},
          {"multi_label", r.model.training.value("multi_label", false)},
          {"negative_class", r.model.training.value("negative_class", false)},
          {"files", r.files},
          {"windows", r.windows},
          {"cached", r.cached},
          {"embed_s", r.embed_s},
          {"fit_s", r.fit_s},
          {"folds", r.folds},
          {"head", r.head_choice},
          {"calibration", r.calibration},
          {"calibrated", r.calibrated},
          {"calibrated_ece", r.calibrated_ece},
          {"skipped", r.skipped},
          {"event_thresholds", event_thresholds_json(r)},
          {"before_calibration", metrics_json(r.before)},
          {"after_calibration", metrics_json(r.after)}};
}

}  // namespace soundlens
