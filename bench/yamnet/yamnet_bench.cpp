// YAMNet against mn04_as on the 10 s example: decode, features, inference and
// Grad-CAM for the top 5 (no figure), as `soundlens analyze` runs it; plus
// YAMNet's stages alone (front end, network over the 20 patches) and loading.
// Report medians: yamnet_bench --benchmark_repetitions=10 --benchmark_report_aggregates_only=true
// SOUNDLENS_THREADS sets the inference threads (default: all cores).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <map>
#include <memory>

#include "analysis/analysis.h"
#include "explain/explanation_method.h"
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
  }
  return *a;
}

void analysis_top5(benchmark::State& state, const std::string& model) {
  const auto& a = analyzer(model);
  std::map<std::string, double> stage_ms;
  for (auto _ : state) {
    const auto audio = decode_file(kExample);
    auto result = a.analyze(audio, {});
    for (const auto& [stage, ms] : result.timings_ms) stage_ms[stage] += ms;
    benchmark::DoNotOptimize(result);
  }
  for (const auto& [stage, ms] : stage_ms) state.counters[stage + "_ms"] = ms / double(state.iterations());
}

void yamnet_front_end(benchmark::State& state) {
  const auto audio = decode_file(kExample);
  const auto& fe = analyzer("yamnet").model().frontend();
  for (auto _ : state) benchmark::DoNotOptimize(fe.compute(audio.samples));
}

// The network alone over the clip's 20 patches, batched as the analyzer batches (8).
void yamnet_network(benchmark::State& state) {
  const auto audio = decode_file(kExample);
  const auto& model = analyzer("yamnet").model();
  std::vector<MelSpectrogram> mels;
  for (std::size_t start = 0; start + 31200 <= audio.samples.size(); start += 15360)
    mels.push_back(model.frontend().compute(std::span<const float>(audio.samples.data() + start, 31200)));
  for (auto _ : state)
    for (std::size_t b = 0; b < mels.size(); b += 8)
      benchmark::DoNotOptimize(model.forward(std::span<const MelSpectrogram>(mels).subspan(b, std::min<std::size_t>(8, mels.size() - b))));
}

// Grad-CAM for 5 classes over the 20 patches (3 batches), the passes made once.
void yamnet_gradcam_top5(benchmark::State& state) {
  const auto audio = decode_file(kExample);
  const auto& model = analyzer("yamnet").model();
  std::vector<MelSpectrogram> mels;
  std::vector<double> starts;
  for (std::size_t start = 0; start + 31200 <= audio.samples.size(); start += 15360) {
    mels.push_back(model.frontend().compute(std::span<const float>(audio.samples.data() + start, 31200)));
    starts.push_back(start / 32000.0);
  }
  std::vector<std::unique_ptr<ForwardPass>> passes;
  std::vector<WindowBatch> batches;
  for (std::size_t b = 0; b < mels.size(); b += 8) {
    const auto span = std::span<const MelSpectrogram>(mels).subspan(b, std::min<std::size_t>(8, mels.size() - b));
    passes.push_back(model.forward(span));
    batches.push_back({span, passes.back().get()});
  }
  const std::vector<ExplainTarget> targets{{0, -1}, {1, -1}, {2, -1}, {3, -1}, {4, -1}};
  const auto& gradcam = explanation_method("gradcam");
  for (auto _ : state)
    benchmark::DoNotOptimize(explain_recording(model, gradcam, batches, starts, targets, audio.duration_s()));
}

void yamnet_load(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(load_model("yamnet", {kModels}));
}

BENCHMARK_CAPTURE(analysis_top5, yamnet, "yamnet")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(analysis_top5, mn04_as, "mn04_as")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(yamnet_front_end)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(yamnet_network)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(yamnet_gradcam_top5)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(yamnet_load)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace soundlens

BENCHMARK_MAIN();
