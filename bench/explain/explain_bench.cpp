// The explanation methods on the 10 s example with mn04_as (one window).
// Report medians: explain_bench --benchmark_repetitions=10 --benchmark_report_aggregates_only=true
// "pass" is the backbone pass alone (what the analysis costs without
// explanations); the gradcam / layercam rows include that pass, so their
// extra cost is their time minus pass's.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <numeric>

#include "audio/audio.h"
#include "explain/detail/methods.h"
#include "explain/explanation_method.h"
#include "model/model_registry.h"

namespace soundlens {
namespace {

struct Fixture {
  std::shared_ptr<const Model> model;
  std::vector<MelSpectrogram> mels;
  std::vector<ExplainTarget> top5;
  Fixture() {
    set_inference_threads(0);
    model = load_model("mn04_as", {std::string(SOUNDLENS_SHARED_DIR) + "/models"});
    const auto audio = decode_file(std::string(SOUNDLENS_SHARED_DIR) + "/audio/example/metro_station-paris.wav");
    mels.push_back(model->frontend().compute(audio.samples));
    const auto pass = model->forward(mels);
    auto logits = pass->logits(0);
    std::vector<int> order(logits.size());
    std::iota(order.begin(), order.end(), 0);
    std::partial_sort(order.begin(), order.begin() + 5, order.end(), [&](int a, int b) { return logits[a] > logits[b]; });
    for (int i = 0; i < 5; ++i) top5.push_back({order[size_t(i)], -1});
  }
};

const Fixture& fixture() {
  static const Fixture f;
  return f;
}

void pass_only(benchmark::State& state) {
  const auto& f = fixture();
  for (auto _ : state) benchmark::DoNotOptimize(f.model->forward(f.mels));
}

void pass_and_method(benchmark::State& state, const std::string& method, int classes) {
  const auto& f = fixture();
  const auto& m = explanation_method(method);
  const std::span<const ExplainTarget> targets(f.top5.data(), size_t(classes));
  for (auto _ : state) {
    auto pass = f.model->forward(f.mels);
    benchmark::DoNotOptimize(m.explain(*f.model, *pass, f.mels, targets));
  }
}

// Where the time of the slow methods goes: integrated gradients at exactly 32 steps (no doubling) and
// occlusion, each by points (inputs) per batch. Arg: the batch.
void integrated_gradients_32_fixed(benchmark::State& state) {
  const auto& f = fixture();
  const auto m = detail::make_integrated_gradients(32, int(state.range(0)), 32);
  const std::span<const ExplainTarget> targets(f.top5.data(), 1);
  for (auto _ : state) {
    auto pass = f.model->forward(f.mels);
    benchmark::DoNotOptimize(m->explain(*f.model, *pass, f.mels, targets));
  }
}
BENCHMARK(integrated_gradients_32_fixed)->Arg(1)->Arg(3)->Arg(11)->Arg(33)->Unit(benchmark::kMillisecond)->UseRealTime();

void occlusion_by_batch(benchmark::State& state) {
  const auto& f = fixture();
  const auto m = detail::make_occlusion(0.32, 16, int(state.range(0)));
  const std::span<const ExplainTarget> targets(f.top5.data(), 1);
  for (auto _ : state) {
    auto pass = f.model->forward(f.mels);
    benchmark::DoNotOptimize(m->explain(*f.model, *pass, f.mels, targets));
  }
}
BENCHMARK(occlusion_by_batch)->Arg(1)->Arg(4)->Arg(8)->Arg(16)->Arg(32)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK(pass_only)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(pass_and_method, gradcam_top5, "gradcam", 5)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(pass_and_method, gradcam_pp_top5, "gradcam++", 5)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(pass_and_method, layercam_top5, "layercam", 5)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(pass_and_method, integrated_gradients_32_one_class, "integrated-gradients", 1)
    ->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(pass_and_method, occlusion_one_class, "occlusion", 1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace soundlens

BENCHMARK_MAIN();
