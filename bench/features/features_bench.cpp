// Front-end cost on the analysis window (10 s at 32 kHz); the whole analysis
// budget is 20 ms, so features should stay well under 5 ms.
//   features_bench --benchmark_repetitions=20 --benchmark_report_aggregates_only=true
#include <cmath>
#include <numbers>
#include <optional>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "features/fft.h"
#include "features/mel_spectrogram.h"
#include "features/yamnet_frontend.h"

namespace {

std::vector<float> ten_seconds() {
  std::mt19937 rng(7);
  std::normal_distribution<float> noise(0.0f, 0.05f);
  std::vector<float> x(320000);
  for (std::size_t i = 0; i < x.size(); ++i)
    x[i] = float(0.4 * std::sin(2 * std::numbers::pi * 440.0 * double(i) / 32000)) + noise(rng);
  return x;
}

void run(benchmark::State& state, const soundlens::FrontEnd& fe) {
  const auto x = ten_seconds();
  for (auto _ : state) benchmark::DoNotOptimize(fe.compute(x).values.data());
  state.SetItemsProcessed(state.iterations() * std::int64_t(x.size()));
}

void BM_EfficientAt10s(benchmark::State& state) { run(state, *soundlens::make_efficientat_frontend()); }
void BM_Panns10s(benchmark::State& state) { run(state, *soundlens::make_panns_frontend()); }

void BM_RealFft1024(benchmark::State& state) {
  const soundlens::features::RealFft fft(1024);
  auto scratch = fft.make_scratch();
  std::vector<double> in(1024, 0.25);
  std::vector<std::complex<double>> out(fft.n_bins());
  for (auto _ : state) {
    fft.forward(in.data(), out.data(), scratch);
    benchmark::DoNotOptimize(out.data());
  }
}

// YAMNet's streamed patches: 0.975 s windows every 0.48 s over the 10 s, each
// computed whole, or continuing the one before (compute_after copies the
// frames both read whole: what a streamed analysis does).
void BM_YamnetPatches10s(benchmark::State& state) {
  const bool continued = state.range(0) != 0;
  const auto fe = soundlens::make_yamnet_frontend();
  const auto x = ten_seconds();
  constexpr std::size_t kWindow = 31200, kHop = 15360;
  for (auto _ : state) {
    std::optional<soundlens::MelSpectrogram> earlier;
    for (std::size_t start = 0; start + kWindow <= x.size(); start += kHop) {
      const std::span<const float> w(x.data() + start, kWindow);
      auto mel = continued && earlier ? fe->compute_after(w, *earlier, kWindow, kHop) : fe->compute(w);
      benchmark::DoNotOptimize(mel.values.data());
      earlier = std::move(mel);
    }
  }
}

}  // namespace

BENCHMARK(BM_YamnetPatches10s)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EfficientAt10s)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Panns10s)->Unit(benchmark::kMillisecond);
void BM_RealFftPower1024(benchmark::State& state) {  // the spectrogram's per-frame path
  const soundlens::features::RealFft fft(1024);
  auto scratch = fft.make_scratch();
  std::vector<double> in(1024, 0.25);
  std::vector<double> power(fft.n_bins());
  for (auto _ : state) {
    fft.power(in.data(), power.data(), scratch);
    benchmark::DoNotOptimize(power.data());
  }
}

BENCHMARK(BM_RealFft1024)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_RealFftPower1024)->Unit(benchmark::kMicrosecond);
