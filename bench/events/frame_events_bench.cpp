// Event detection over a one-hour recording's frame evidence: 11,250 columns
// of 0.32 s, 527 classes, a sound every 30 s in 15 of them. Detection must be
// a small part of the hour's budget.
#include <benchmark/benchmark.h>

#include <cmath>

#include "events/frame_events.h"

namespace {

using namespace soundlens;

void BM_FrameEvents1h(benchmark::State& state) {
  const double duration = 3600, spf = 0.32;
  const int classes = 527, frames = int(std::ceil(duration / spf));
  std::vector<float> p(std::size_t(frames) * classes, 0.01f);
  for (int c = 0; c < 15; ++c)
    for (double t = 2 + c; t + 1 < duration; t += 30)
      for (int f = int(t / spf); f < int((t + 1) / spf); ++f) p[std::size_t(f) * classes + std::size_t(c)] = 0.9f;
  FrameEventOptions o;
  for (int c = 0; c < 15; ++c) o.rules.push_back({c, 0.5, 0.3});
  for (auto _ : state) {
    const auto r = detect_frame_events({spf, classes, p}, o, {}, {});
    benchmark::DoNotOptimize(r.events.data());
  }
}
BENCHMARK(BM_FrameEvents1h)->Unit(benchmark::kMillisecond);

}  // namespace
