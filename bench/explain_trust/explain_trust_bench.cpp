// Faithfulness of one map and the listenable audio of one class, on the 10 s
// metro example with mn04_as. Run: build/bench/explain_trust/explain_trust_bench
// --benchmark_repetitions=10 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include "audio/audio.h"
#include "explain/faithfulness.h"
#include "explain/grad_cam.h"
#include "explain/listen.h"
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
  set_inference_threads(0);
  for (auto _ : state)
    benchmark::DoNotOptimize(faithfulness(*s.model, s.spec, kWindow, 500, s.map, kFaithfulnessSeed, int(state.range(0))));
}
BENCHMARK(BM_Faithfulness)->Arg(10)->Arg(20)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Listen(benchmark::State& state) {
  const auto& s = setup();
  for (auto _ : state) benchmark::DoNotOptimize(listen(s.audio.samples, s.map, s.model->frontend()));
}
BENCHMARK(BM_Listen)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace soundlens

BENCHMARK_MAIN();
