// `soundlens compare --models mn04_as,yamnet` on the 10 s example against the
// two analyses it replaces, each as `soundlens analyze` runs it (decode,
// features, inference, Grad-CAM for the top 5). The target: compare at most
// their sum plus 10%. analysis_with_events shows what placing events costs
// (compare explains the event classes too, in the same pass).
// Report medians: compare_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
// SOUNDLENS_THREADS sets the inference threads (default: all cores).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <map>
#include <memory>

#include "compare/compare_run.h"
#include "model/model_registry.h"

namespace soundlens {
namespace {

const std::string kExample = std::string(SOUNDLENS_SHARED_DIR) + "/audio/example/metro_station-paris.wav";
const std::string kModels = std::string(SOUNDLENS_SHARED_DIR) + "/models";

const Analyzer& analyzer(const std::string& model) {
  static std::map<std::string, std::unique_ptr<Analyzer>> cache;
  auto& a = cache[model];
  if (!a) {
    set_inference_threads(std::getenv("SOUNDLENS_THREADS") ? std::atoi(std::getenv("SOUNDLENS_THREADS")) : 0);
    a = std::make_unique<Analyzer>(load_model(model, {kModels}), load_labels({kModels}));
    // First use builds the kernels' primitives: not part of any benchmark.
    AnalysisOptions options;
    ask_for_event_classes(options, *a);
    for (int i = 0; i < 3; ++i) benchmark::DoNotOptimize(a->analyze(decode_file(kExample), options));
  }
  return *a;
}

void analysis(benchmark::State& state, const std::string& model) {
  const auto& a = analyzer(model);
  for (auto _ : state) {
    const auto audio = decode_file(kExample);
    benchmark::DoNotOptimize(a.analyze(audio, {}));
  }
}

void analysis_with_events(benchmark::State& state, const std::string& model) {
  const auto& a = analyzer(model);
  for (auto _ : state) {
    const auto audio = decode_file(kExample);
    AnalysisOptions options;
    ask_for_event_classes(options, a);
    const auto result = a.analyze(audio, options);
    benchmark::DoNotOptimize(analysis_events(a, audio, result, options));
  }
}

void compare(benchmark::State& state) {
  const auto& first = analyzer("mn04_as");
  const auto& second = analyzer("yamnet");
  double compare_ms = 0;
  for (auto _ : state) {
    const auto audio = decode_file(kExample);
    const auto run = run_compare(first, second, audio, {});
    compare_ms += run.compare_ms;
    benchmark::DoNotOptimize(compare_run_to_json(run));
  }
  state.counters["comparison_only_ms"] = compare_ms / double(state.iterations());
}

BENCHMARK_CAPTURE(analysis, mn04_as, "mn04_as")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(analysis, yamnet, "yamnet")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(analysis_with_events, mn04_as, "mn04_as")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(analysis_with_events, yamnet, "yamnet")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(compare)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace soundlens

BENCHMARK_MAIN();
