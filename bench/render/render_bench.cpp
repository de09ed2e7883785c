// Figure rendering cost: a 10 s clip (the common case) and an hour-long file.
#include <benchmark/benchmark.h>

#include "render/figure.h"
#include "synthetic.h"

namespace {

using namespace soundlens;

void BM_Figure10sWithCam(benchmark::State& state) {
  const MelSpectrogram mel = synthetic::chirp(10);
  const CamMap cam = synthetic::blob_cam(4, 31, 0.32, 32, 6.2, 70, 0.8, 25);
  const FigureSpec spec{&mel, &cam, "Chirp (p = 0.91): Grad-CAM on features.16"};
  for (auto _ : state) benchmark::DoNotOptimize(render_figure_png(spec));
}
BENCHMARK(BM_Figure10sWithCam)->Unit(benchmark::kMillisecond);

void BM_Figure10sSpectrogramOnly(benchmark::State& state) {
  const MelSpectrogram mel = synthetic::chirp(10);
  const FigureSpec spec{&mel, nullptr, "Chirp: log-mel spectrogram"};
  for (auto _ : state) benchmark::DoNotOptimize(render_figure_png(spec));
}
BENCHMARK(BM_Figure10sSpectrogramOnly)->Unit(benchmark::kMillisecond);

void BM_FigureOneHourWithCam(benchmark::State& state) {
  const MelSpectrogram mel = synthetic::flat(128, 360'000, -1.f);
  const CamMap cam = synthetic::blob_cam(4, 11'250, 0.32, 32, 1900, 40, 120, 30);
  const FigureSpec spec{&mel, &cam, "One hour"};
  for (auto _ : state) benchmark::DoNotOptimize(render_figure_png(spec));
}
BENCHMARK(BM_FigureOneHourWithCam)->Unit(benchmark::kMillisecond);

}  // namespace
