// soundlens calibrate DIR --model NAME --out CALIBRATION.json: per-class Platt
// scaling of an AudioSet model's logits on a user's labelled folder (AudioSet
// class names or indices as folder names), with the calibration error before
// and after on held-out files. --calibration FILE applies it to analyses.
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <unistd.h>

#include "analysis/analysis.h"
#include "app/commands.h"
#include "app/embedding_pass_options.h"
#include "app/progress_bar.h"
#include "core/error.h"
#include "core/parameters.h"
#include "model/model_registry.h"
#include "train/class_calibration.h"

namespace soundlens {
namespace {

std::vector<Parameter> calibrate_parameters() {
  using K = Parameter::Kind;
  std::vector<Parameter> all{
      {"model", "the AudioSet model to calibrate: mn04_as, yamnet or cnn14", "mn04_as", K::text, 0, 0,
       {"mn04_as", "yamnet", "cnn14"}},
      {"out", "the calibration file to write (JSON)", "", K::text, 0, 0, {}},
      {"force", "replace an existing --out", "", K::flag, 0, 0, {}},
  };
  for (const auto& p : embedding_pass_parameters()) all.push_back(p);
  return all;
}

}  // namespace

int run_calibrate(const std::vector<std::string>& args) {
  const auto declared_list = calibrate_parameters();
  const auto cmd = parse_parameters(declared_list, args);
  const auto& p = cmd.parameters;
  if (p.flag("help") || cmd.positional.size() != 1 || p.text("out").empty()) {
    std::cout << "usage: soundlens calibrate DIR --out CALIBRATION.json [--model NAME] [options]\n\n"
                 "DIR/<class>/ holds recordings of each AudioSet class (its name or index); a `none` folder holds\n"
                 "recordings of none of them.\n\noptions:\n"
              << parameters_help(declared_list);
    return p.flag("help") ? 0 : 2;
  }
  std::error_code ec;
  if (std::filesystem::exists(p.text("out"), ec) && !p.flag("force"))
    throw Error(ErrorCode::bad_request, p.text("out") + " exists; pass --force to replace it");
  const auto folder = read_labelled_folder(cmd.positional[0]);
  set_inference_threads(int(p.integer("threads")));
  const auto search = model_search_path(p.text("model-dir"));
  const Analyzer analyzer(load_model(p.text("model"), search), load_labels(search));
  EvaluationOptions o;
  o.windows = embedding_pass_options(p);
  std::uintmax_t bytes = 0;
  for (const auto& f : folder.files) bytes += std::filesystem::file_size(f.path, ec);
  ProgressBar progress(std::cerr, isatty(STDERR_FILENO) != 0, folder.files.size(), bytes);
  o.on_file = [&](const LabelledFile& f, const std::string& status) {
    progress.finish(f.relative, std::filesystem::file_size(f.path, ec), 0, status);
  };
  const auto evaluated = evaluate_model(folder, analyzer, o);
  progress.close();
  const auto name = std::filesystem::path(cmd.positional[0]).lexically_normal().filename().string();
  const auto report = calibrate_classes(evaluated, analyzer, folder, name);
  write_calibration_file(p.text("out"), report.file, p.flag("force"));
  if (p.flag("json")) {
    std::cout << nlohmann::json{{"calibration", p.text("out")},
                                {"model", report.file.model},
                                {"classes", report.file.labels},
                                {"files", evaluated.files.size()},
                                {"skipped", evaluated.skipped},
                                {"folds", report.folds},
                                {"ece_before", report.before.ece},
                                {"ece_after", report.after.ece}}
                     .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
              << "\n";
    return 0;
  }
  std::cout << "Calibrated " << report.file.labels.size() << " classes of " << report.file.model << " on "
            << evaluated.files.size() << " files (Platt scaling per class):\n";
  for (const auto& s : evaluated.skipped) std::cout << "Skipped: " << s << "\n";
  std::cout << std::fixed << std::setprecision(3);
  for (std::size_t i = 0; i < report.file.classes.size(); ++i)
    std::cout << "  " << report.file.labels[i] << ": logit x " << report.file.classes[i].a << " + "
              << report.file.classes[i].b << "\n";
  std::cout << "Expected calibration error over these classes: " << report.before.ece << " before, " << report.after.ece
            << " after (" << report.folds << " folds: each file calibrated by the others)\n"
            << "Written: " << p.text("out") << " (use it with analyze --calibration " << p.text("out") << ")\n";
  return 0;
}

}  // namespace soundlens
