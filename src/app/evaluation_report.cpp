#include "app/evaluation_report.h"

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "analysis_events/report_input.h"
#include "core/build_info.h"
#include "render/evaluation_pdf.h"

namespace soundlens {
namespace {

std::string number(const char* pattern, double v) {
  char text[64];
  std::snprintf(text, sizeof text, pattern, v);
  return text;
}

std::string decision(const EvaluationReport& r) {
  if (!r.multi_label)
    return "Single-label: a file's prediction is its most probable class" +
           std::string(r.negative_class ? " (or none, when 1 minus their sum is larger)" : "") +
           "; a file's probability is the clip probability an analysis reports (the maximum over its windows).";
  return "Each class is scored on its own: predicted at or above " + number("%.3g", r.threshold) +
         "; a file's probability is the clip probability an analysis reports (the maximum over its windows).";
}

std::string most_probable(const EvaluationReport& r, const EvaluatedFile& f) {
  std::size_t best = 0;
  for (std::size_t c = 1; c < f.probabilities.size(); ++c)
    if (f.probabilities[c] > f.probabilities[best]) best = c;
  if (f.probabilities.empty()) return "";
  return r.labels[best] + " " + number("%.3f", f.probabilities[best]);
}

}  // namespace

ChartSpec reliability_chart(const EvaluationReport& r) {
  ChartSpec chart;
  chart.title = "Reliability of " + r.model;
  chart.x_label = r.multi_label ? "probability of a class (bins)" : "confidence of the prediction (bins)";
  chart.y_label = r.multi_label ? "fraction where the class is true" : "fraction of predictions right";
  chart.diagonal = true;
  chart.notes = {"expected calibration error " + number("%.3f", r.metrics.ece) + " over " + std::to_string(r.files.size()) +
                 " files; bars: observed, line: perfectly calibrated"};
  ChartSeries observed{"observed", {}, true}, mean{"mean probability", {}, false};
  for (const auto& b : r.metrics.reliability) {
    char label[48];
    std::snprintf(label, sizeof label, "%.1f-%.1f (%d)", b.low, b.high, b.count);
    chart.positions.push_back(label);
    observed.y.push_back(b.count > 0 ? b.accuracy : NAN);
    mean.y.push_back(b.count > 0 ? b.confidence : NAN);
  }
  chart.series = {observed, mean};
  return chart;
}

std::vector<std::uint8_t> evaluation_report_pdf(const EvaluationReport& r, const std::string& folder,
                                                const Analyzer& analyzer, const AnalysisOptions& windows) {
  const auto& info = analyzer.model().info();
  EvaluationPdfInput in;
  in.soundlens_version = SOUNDLENS_VERSION;
  std::error_code ec;
  const auto absolute = std::filesystem::absolute(folder, ec);
  in.provenance = {{"Model", r.model},
                   {"Architecture", info.architecture},
                   {"Weights file", info.weights_file},
                   {"Weights SHA-256", info.weights_sha256},
                   {"Folder", ec ? folder : absolute.lexically_normal().string()},
                   {"Files", std::to_string(r.files.size()) + " evaluated, " + std::to_string(r.skipped.size()) + " skipped"},
                   {"Classes", std::to_string(r.labels.size()) + (r.multi_label ? ", multi-label" : ", single-label")},
                   {"Windows", info.window_s > 0 ? "the model's own (" + number("%.2f", info.window_s) + " s, hop " +
                                                       number("%.2f", info.hop_s) + " s)"
                                                 : number("%.2f", windows.window_s) + " s, hop " + number("%.2f", windows.hop_s) + " s"},
                   {"soundlens version", std::string(SOUNDLENS_VERSION) + " (" + build_commit() + ")"},
                   {"Date", utc_now_iso8601()}};
  in.decision = decision(r);
  for (const auto& c : r.metrics.classes)
    in.classes.push_back({c.label, c.support, c.precision, c.recall, c.f1, c.average_precision});
  in.overall = {{"Macro F1", number("%.3f", r.metrics.macro_f1)},
                {"Micro F1", number("%.3f", r.metrics.micro_f1)},
                {"Macro average precision", number("%.3f", r.metrics.macro_average_precision)}};
  if (!r.multi_label) in.overall.push_back({"Accuracy", number("%.3f", r.metrics.accuracy)});
  in.overall.push_back({"Log loss", number("%.3f", r.metrics.log_loss)});
  in.overall.push_back({"Calibration error (ECE)", number("%.3f", r.metrics.ece)});
  if (!r.metrics.confusion.empty()) {
    in.confusion_labels = r.labels;
    if (r.metrics.confusion.size() > r.labels.size()) in.confusion_labels.push_back("none");
    in.confusion = r.metrics.confusion;
  }
  in.ece = r.metrics.ece;
  in.reliability = reliability_chart(r);
  for (const auto& f : r.files) {
    std::string truth;
    for (const auto& t : f.truth) truth += (truth.empty() ? "" : "; ") + t;
    in.files.push_back({f.file, truth.empty() ? "none" : truth, f.sha256, most_probable(r, f)});
  }
  in.skipped = r.skipped;
  return render_evaluation_pdf(in);
}

}  // namespace soundlens
