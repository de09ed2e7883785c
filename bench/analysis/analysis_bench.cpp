// The full analysis of the 10 s example, as `soundlens analyze` runs it:
// decode, features, inference, Grad-CAM for the top 5 [, PNG figure].
// Report medians: analysis_bench --benchmark_repetitions=10 --benchmark_report_aggregates_only=true
// CNN14 runs on random weights made by tools/reference (timing only); set
// SOUNDLENS_CNN14_DIR to a directory holding Cnn14_mAP=0.431.pth to use another.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>

#include "analysis/analysis.h"
#include "model/model_registry.h"

namespace soundlens {
namespace {

const std::string kExample = std::string(SOUNDLENS_SHARED_DIR) + "/audio/example/metro_station-paris.wav";

std::string cnn14_dir() {
  if (const char* dir = std::getenv("SOUNDLENS_CNN14_DIR")) return dir;
  const std::string dir = std::filesystem::temp_directory_path() / "soundlens-bench-cnn14";
  if (!std::filesystem::exists(dir + "/Cnn14_mAP=0.431.pth")) {
    std::filesystem::create_directories(dir);
    const auto cmd = "/usr/bin/python3 " + std::string(SOUNDLENS_SOURCE_DIR) +
                     "/tools/reference/model_reference.py make-cnn14 '" + dir + "/Cnn14_mAP=0.431.pth'";
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("could not make random CNN14 weights");
  }
  return dir;
}

const Analyzer& analyzer(const std::string& model) {
  static std::map<std::string, std::unique_ptr<Analyzer>> cache;
  auto& a = cache[model];
  if (!a) {
    set_inference_threads(std::getenv("SOUNDLENS_THREADS") ? std::atoi(std::getenv("SOUNDLENS_THREADS")) : 0);
    const std::string shared = std::string(SOUNDLENS_SHARED_DIR) + "/models";
    const auto dir = model == "cnn14" ? cnn14_dir() : shared;
    a = std::make_unique<Analyzer>(load_model(model, {dir}), load_labels({shared}));
  }
  return *a;
}

void full_analysis(benchmark::State& state, const std::string& model, bool figure) {
  const auto& a = analyzer(model);
  AnalysisOptions options;
  options.figure = figure;
  std::map<std::string, double> stage_ms;
  for (auto _ : state) {
    const auto audio = decode_file(kExample);
    auto result = a.analyze(audio, options);
    for (const auto& [stage, ms] : result.timings_ms) stage_ms[stage] += ms;
    benchmark::DoNotOptimize(result);
  }
  // Per-stage means, to see where the time goes.
  for (const auto& [stage, ms] : stage_ms) state.counters[stage + "_ms"] = ms / double(state.iterations());
}

BENCHMARK_CAPTURE(full_analysis, mn04_as_with_figure, "mn04_as", true)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(full_analysis, mn04_as_no_figure, "mn04_as", false)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(full_analysis, cnn14_no_figure, "cnn14", false)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace soundlens

BENCHMARK_MAIN();
