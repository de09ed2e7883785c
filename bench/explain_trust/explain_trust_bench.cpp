// Faithfulness of one map and the listenable audio of one class, on the 10 s
// metro example with mn04_as. Run: build/bench/explain_trust/explain_trust_bench
// --benchmark_repetitions=10 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <cstdlib>

#include "audio/audio.h"
#include "explain/faithfulness.h"
#include "explain/grad_cam.h"
#include "explain/listen.h"
#include "explain/listen_search.h"
#include "model/model_registry.h"

namespace soundlens {
namespace {

constexpr int kTrain = 329;
constexpr int kWindow = 1001;

struct Setup {
  std::shared_ptr<const Model> model = load_model("mn04_as", {SOUNDLENS_SHARED_DIR "/models"});
  Audio audio = decode_file(SOUNDLENS_SHARED_DIR "/audio/example/metro_station-paris.wav");
  MelSpectrogram spec;
  CamMap map;
  Setup() {
    audio.samples.resize(std::min<std::size_t>(audio.samples.size(), 320000));
    spec = model->frontend().compute(audio.samples);
    const std::vector<MelSpectrogram> windows{spec};
    const auto pass = model->forward(windows);
    const int classes[] = {kTrain};
    const auto grids = grad_cam(*pass, classes).at(0);
    const CamPlacement placement{0};
    map = stitch_cam(grids, {&placement, 1}, 0.32, audio.duration_s());
    map.class_index = kTrain;
    map.frames_per_column = 32;
    map.mel_bins_per_row = 32;
  }
};

const Setup& setup() {
  static const Setup s;
  return s;
}

void BM_Faithfulness(benchmark::State& state) {
  const auto& s = setup();
  set_inference_threads(std::getenv("SOUNDLENS_THREADS") ? std::atoi(std::getenv("SOUNDLENS_THREADS")) : 0);
  for (auto _ : state)
    benchmark::DoNotOptimize(
        faithfulness(*s.model, s.spec, kWindow, 500, s.map, kFaithfulnessSeed, int(state.range(0))));
}
BENCHMARK(BM_Faithfulness)->Arg(0)->Arg(1)->Arg(10)->Unit(benchmark::kMillisecond)->UseRealTime();

// For scale: the forward passes faithfulness is made of (one 10 s window, or a batch of them).
void BM_Forward(benchmark::State& state) {
  const auto& s = setup();
  set_inference_threads(std::getenv("SOUNDLENS_THREADS") ? std::atoi(std::getenv("SOUNDLENS_THREADS")) : 0);
  const std::vector<MelSpectrogram> windows(std::size_t(state.range(0)), s.spec);
  for (auto _ : state) benchmark::DoNotOptimize(s.model->forward(windows));
}
BENCHMARK(BM_Forward)->Arg(1)->Arg(2)->Arg(10)->Unit(benchmark::kMillisecond)->UseRealTime();

// A 1.5 s cough: short windows, where batching pays.
void BM_FaithfulnessCough(benchmark::State& state) {
  const auto& s = setup();
  set_inference_threads(std::getenv("SOUNDLENS_THREADS") ? std::atoi(std::getenv("SOUNDLENS_THREADS")) : 0);
  const auto cough = decode_file(SOUNDLENS_SHARED_DIR "/audio/cough/063900f6-c03b-4ffb-b51b-877b6b5a74d5.flac");
  const auto spec = s.model->frontend().compute(cough.samples);
  auto map = s.map;
  map.cols = (spec.n_frames + 31) / 32;
  map.values.assign(std::size_t(map.rows) * map.cols, 0.0f);
  for (std::size_t i = 0; i < map.values.size(); ++i) map.values[i] = float((i * 7919) % 13);
  map.class_index = 47;
  for (auto _ : state)
    benchmark::DoNotOptimize(faithfulness(*s.model, spec, kWindow, 500, map, kFaithfulnessSeed, int(state.range(0))));
}
BENCHMARK(BM_FaithfulnessCough)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

// The listening search (explain/listen_search.h): batched probes on the model's input, then the chosen
// part resynthesised and checked on its audio. Counters: passes of the 10 s window, share kept.
void BM_ListenSearch(benchmark::State& state) {
  const auto& s = setup();
  set_inference_threads(std::getenv("SOUNDLENS_THREADS") ? std::atoi(std::getenv("SOUNDLENS_THREADS")) : 0);
  ListenResult r;
  for (auto _ : state) benchmark::DoNotOptimize(r = listen_search(*s.model, s.audio.samples, s.map));
  state.counters["passes"] = r.passes;
  state.counters["kept_fraction"] = r.kept_fraction;
}
BENCHMARK(BM_ListenSearch)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Listen(benchmark::State& state) {
  const auto& s = setup();
  for (auto _ : state) benchmark::DoNotOptimize(listen(s.audio.samples, s.map, s.model->frontend()));
}
BENCHMARK(BM_Listen)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace soundlens

BENCHMARK_MAIN();
