// soundlens evaluate DIR --model NAME_OR_PATH: a model's scores on a labelled
// folder against its labels, per class and overall, with the calibration
// error, a reliability diagram, every file's scores and a PDF report.
#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <unistd.h>

#include "analysis/analysis.h"
#include "app/commands.h"
#include "app/embedding_pass_options.h"
#include "app/evaluation_report.h"
#include "app/output_file.h"
#include "app/progress_bar.h"
#include "app/train_output.h"
#include "core/error.h"
#include "core/parameters.h"
#include "model/model_registry.h"
#include "render/chart.h"
#include "train/evaluation.h"

namespace soundlens {
namespace {

std::vector<Parameter> evaluate_parameters() {
  using K = Parameter::Kind;
  std::vector<Parameter> all{
      {"model", "the model to evaluate: mn04_as, yamnet, cnn14 or one made by soundlens train", "mn04_as", K::text, 0, 0, {}},
      {"threshold", "multi-label: a class is predicted at or above this probability", "0.5", K::number, 0.001, 0.999, {}},
      {"csv", "write every file's scores to this CSV", "", K::text, 0, 0, {}},
      {"reliability", "write the reliability diagram to this PNG", "", K::text, 0, 0, {}},
      {"report", "write the PDF report (per class, reliability diagram and ECE, what it was evaluated on) to this file", "",
       K::text, 0, 0, {}},
  };
  for (const auto& p : embedding_pass_parameters()) all.push_back(p);
  return all;
}

}  // namespace

int run_evaluate(const std::vector<std::string>& args) {
  const auto declared_list = evaluate_parameters();
  const auto cmd = parse_parameters(declared_list, args);
  const auto& p = cmd.parameters;
  if (p.flag("help") || cmd.positional.size() != 1) {
    std::cout << "usage: soundlens evaluate DIR [--model NAME_OR_PATH] [options]\n\n"
                 "DIR/<label>/ holds each label's recordings, as for soundlens train. For the AudioSet models the\n"
                 "labels are AudioSet class names or indices; a `none` folder holds recordings of none of them.\n\n"
                 "options:\n"
              << parameters_help(declared_list);
    return p.flag("help") ? 0 : 2;
  }
  for (const char* output : {"csv", "reliability", "report"}) check_output_path(output, p.text(output));
  const auto folder = read_labelled_folder(cmd.positional[0]);
  set_inference_threads(int(p.integer("threads")));
  const auto search = model_search_path(p.text("model-dir"));
  const Analyzer analyzer(load_model(p.text("model"), search), load_labels(search));
  EvaluationOptions o;
  o.threshold = p.number("threshold");
  o.windows = embedding_pass_options(p);
  std::error_code ec;
  std::uintmax_t bytes = 0;
  for (const auto& f : folder.files) bytes += std::filesystem::file_size(f.path, ec);
  ProgressBar progress(std::cerr, isatty(STDERR_FILENO) != 0, folder.files.size(), bytes);
  o.on_file = [&](const LabelledFile& f, const std::string& status) {
    progress.finish(f.relative, std::filesystem::file_size(f.path, ec), 0, status);
  };
  const auto report = evaluate_model(folder, analyzer, o);
  progress.close();
  if (!p.text("csv").empty()) write_file(p.text("csv"), evaluation_csv(report));
  if (!p.text("reliability").empty()) write_file(p.text("reliability"), chart_png(reliability_chart(report)));
  if (!p.text("report").empty())
    write_file(p.text("report"), evaluation_report_pdf(report, cmd.positional[0], analyzer, o.windows));
  if (p.flag("json")) {
    auto j = metrics_json(report.metrics);
    j["model"] = report.model;
    j["labels"] = report.labels;
    j["multi_label"] = report.multi_label;
    j["threshold"] = report.threshold;
    j["files"] = report.files.size();
    j["skipped"] = report.skipped;
    std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return 0;
  }
  std::cout << "Evaluated " << report.model << " on " << report.files.size() << " files ("
            << (report.multi_label ? "each class on its own, predicted at or above " + std::to_string(report.threshold).substr(0, 5)
                                   : "single-label: the most probable class") << "):\n";
  for (const auto& s : report.skipped) std::cout << "Skipped: " << s << "\n";
  print_metrics(std::cout, report.metrics, report.negative_class);
  std::cout << std::fixed << std::setprecision(3) << "Expected calibration error: " << report.metrics.ece << "\n";
  return 0;
}

}  // namespace soundlens
