// The few-shot measurement of docs/training.md (tools/train/few_shot.sh's split: ten classes of
// events-dev, the first N clips of each by name to train on, the others held out) for three bases
// side by side: mn04_as alone, yamnet alone, and the two paired (paired_embedder: each mn04_as
// window's 384 values beside the mean of YAMNet's 1024 over its 0.96 s patches inside that window).
// Each is trained by train_classifier (head chosen by cross-validation, calibration kept only when it
// lowers the held-out folds' ECE) and scored on the held-out files: accuracy, macro F1, ECE, and the
// time to embed and fit (CPU time of this process).
//
//   fused_base_few_shot [--per-class N] [--model-dir DIR] [--clips DIR] [--threads N]
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "audio/audio.h"
#include "core/error.h"
#include "model/model_registry.h"
#include "train/trainer.h"

using namespace soundlens;
namespace fs = std::filesystem;

namespace {

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + 1e-6 * double(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

// The split of tools/train/few_shot.sh, as labelled folders of links.
void make_split(const fs::path& clips, const fs::path& work, int per_class) {
  fs::remove_all(work);
  for (const char* c : {"baby_cry", "cough", "knock", "laughter", "music", "speech", "throat_clearing",
                        "background_forest", "background_waves", "background_wind"}) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(clips / c)) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    fs::create_directories(work / "train" / c);
    fs::create_directories(work / "test" / c);
    for (std::size_t i = 0; i < files.size(); ++i)
      fs::create_symlink(files[i], work / (int(i) < per_class ? "train" : "test") / c / files[i].filename());
  }
}

void run(const std::string& name, const Embedder& embedder, const LabelledFolder& train, const LabelledFolder& test) {
  TrainOptions o;
  const double cpu0 = cpu_seconds();
  const auto t0 = std::chrono::steady_clock::now();
  const auto report = train_classifier(train, embedder, o, name);
  const double train_wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double train_cpu = cpu_seconds() - cpu0;
  std::vector<ScoredFile> scored;
  for (const auto& f : test.files) {
    const auto e = embedder.embed(decode_file(f.path));
    scored.push_back({f.labels, file_scores(report.model.head, e.values, e.size)});
  }
  const auto m = score_files(scored, test.classes, test.multi_label, test.negative_class);
  std::printf("%-16s dims %4d  head %-9s calibration %-11s  held-out %zu files: accuracy %.3f  macro F1 %.3f  ECE %.3f"
              "  | train %.1f s wall, %.1f s CPU (embed %.1f s, fit %.1f s)\n",
              name.c_str(), report.model.head.inputs(), report.model.head.kind().c_str(),
              report.model.calibration.value("method", "?").c_str(), scored.size(), m.accuracy, m.macro_f1, m.ece,
              train_wall, train_cpu, report.embed_s, report.fit_s);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  int per_class = 5, threads = 2;
  std::string model_dir = "../shared/models", clips = "../shared/audio/events-dev/clips";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--per-class") per_class = std::stoi(argv[i + 1]);
    else if (a == "--model-dir") model_dir = argv[i + 1];
    else if (a == "--clips") clips = argv[i + 1];
    else if (a == "--threads") threads = std::stoi(argv[i + 1]);
    else return std::fprintf(stderr, "unknown option %s\n", argv[i]), 2;
  }
  try {
    set_inference_threads(threads);
    const fs::path work = fs::temp_directory_path() / ("soundlens-fused-few-shot-" + std::to_string(::getpid()));
    make_split(clips, work, per_class);
    const std::vector<std::string> path = model_search_path(model_dir);
    const auto labels = load_labels(path);
    const Analyzer mn04(load_model("mn04_as", path), labels), yamnet(load_model("yamnet", path), labels);
    const auto train = read_labelled_folder((work / "train").string());
    const auto test = read_labelled_folder((work / "test").string());
    AnalysisOptions windows;  // the analysis' default windows, without a time limit, as `train` uses them
    windows.limits.timeout_s = kNoTimeLimit;
    run("mn04_as", network_embedder(mn04, windows), train, test);
    run("yamnet", network_embedder(yamnet, windows), train, test);
    run("mn04_as+yamnet", paired_embedder(mn04, yamnet, windows), train, test);
    fs::remove_all(work);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fused_base_few_shot: %s\n", e.what());
    return 1;
  }
  return 0;
}
