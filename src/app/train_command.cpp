// soundlens train DIR --out MODEL [--base mn04_as|yamnet|cnn14]: a classifier
// of the folder's labels (DIR/<label>/...) on the base model's embeddings,
// cross-validated by file, calibrated on the held-out folds, written as a
// model directory that --model MODEL takes everywhere.
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <unistd.h>

#include "analysis/analysis.h"
#include "app/commands.h"
#include "app/embedding_pass_options.h"
#include "app/progress_bar.h"
#include "app/train_output.h"
#include "core/error.h"
#include "core/parameters.h"
#include "model/model_registry.h"
#include "train/embedding_cache.h"
#include "train/trainer.h"

namespace soundlens {
namespace {

std::vector<Parameter> train_parameters() {
  using K = Parameter::Kind;
  std::vector<Parameter> all{
      {"out", "the model directory to write (its name is the model's name)", "", K::text, 0, 0, {}},
      {"base", "the network whose embeddings the head is trained on", "mn04_as", K::text, 0, 0,
       {"mn04_as", "yamnet", "cnn14"}},
      {"head", "logistic regression, a one-hidden-layer MLP, or the better of the two on the held-out folds", "auto",
       K::text, 0, 0, {"auto", "logistic", "mlp"}},
      {"folds", "k of the cross-validation by file (fewer when a label has fewer files)", "5", K::integer, 2, 20, {}},
      {"seed", "seed of the folds and the head's initialisation", "1", K::integer, 0, 1e9, {}},
      {"cache-dir", "where embeddings are kept by file SHA-256 (default: ~/.cache/soundlens/embeddings)", "", K::text,
       0, 0, {}},
      {"no-cache", "neither read nor write cached embeddings", "", K::flag, 0, 0, {}},
      {"force", "replace a model already in --out", "", K::flag, 0, 0, {}},
  };
  for (const auto& p : embedding_pass_parameters()) all.push_back(p);
  return all;
}

}  // namespace

int run_train(const std::vector<std::string>& args) {
  const auto declared_list = train_parameters();
  const auto cmd = parse_parameters(declared_list, args);
  const auto& p = cmd.parameters;
  if (p.flag("help") || cmd.positional.size() != 1 || p.text("out").empty()) {
    std::cout << "usage: soundlens train DIR --out MODEL [options]\n\n"
                 "DIR/<label>/ holds each label's recordings (nested folders allowed); a `none` or `background`\n"
                 "folder holds recordings of none of them. A recording under two labels makes the layout\n"
                 "multi-label.\n\noptions:\n"
              << parameters_help(declared_list);
    return p.flag("help") ? 0 : 2;
  }
  const std::string out = p.text("out");
  const auto name = std::filesystem::path(out).lexically_normal().filename().string();
  std::error_code ec;
  if (std::filesystem::exists(out, ec) && !std::filesystem::is_empty(out, ec) && !p.flag("force"))
    throw Error(ErrorCode::bad_request, out + " exists and is not empty; pass --force to replace the model in it");
  const auto folder = read_labelled_folder(cmd.positional[0]);
  set_inference_threads(int(p.integer("threads")));
  const auto search = model_search_path(p.text("model-dir"));
  const Analyzer base(load_model(p.text("base"), search), load_labels(search));

  TrainOptions o;
  o.folds = int(p.integer("folds"));
  o.hidden = p.text("head") == "logistic" ? 0 : p.text("head") == "mlp" ? 128 : -1;
  o.seed = std::uint64_t(p.integer("seed"));
  o.cache_dir = p.flag("no-cache") ? "" : p.was_set("cache-dir") ? p.text("cache-dir") : default_embedding_cache_dir();
  o.windows = embedding_pass_options(p);
  std::uintmax_t bytes = 0;
  for (const auto& f : folder.files) bytes += std::filesystem::file_size(f.path, ec);
  ProgressBar progress(std::cerr, isatty(STDERR_FILENO) != 0, folder.files.size(), bytes);
  o.on_file = [&](const LabelledFile& f, const std::string& status, double) {
    progress.finish(f.relative, std::filesystem::file_size(f.path, ec), 0, status);
  };
  const auto report = train_classifier(folder, base, o, name);
  progress.close();
  write_trained_model(out, report.model, p.flag("force"));
  if (p.flag("json"))
    std::cout << train_report_json(report, out).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  else
    print_train_report(std::cout, report, out);
  return 0;
}

}  // namespace soundlens
