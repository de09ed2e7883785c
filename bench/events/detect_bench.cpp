// Event detection over a one-hour recording: 5 s windows every 1 s (3596
// windows), 15 classes with stitched maps of 11,250 columns, a sound every
// 30 s. Detection must be a small part of the hour's 20 s budget.
#include <benchmark/benchmark.h>

#include <cmath>

#include "events/detect.h"

namespace {

using namespace soundlens;

void BM_DetectEvents1h(benchmark::State& state) {
  const double duration = 3600, spc = 0.32;
  const int classes = 15, cols = int(std::ceil(duration / spc));
  std::vector<TimelineWindow> timeline;
  for (double start = 0; start + 5 <= duration; start += 1) {
    TimelineWindow w{start, start + 5, {}, std::vector<float>(527, 0.01f)};
    for (int c = 0; c < classes; ++c) {
      const double phase = std::fmod(start + 2 * c, 30.0);  // class c sounds at 30 k - 2 c s
      if (phase < 5) w.probabilities[std::size_t(c)] = 0.8f;
    }
    timeline.push_back(std::move(w));
  }
  std::vector<ClassProfile> profiles;
  for (int c = 0; c < classes; ++c) {
    ClassProfile p;
    p.index = c;
    p.label = "class " + std::to_string(c);
    p.rows = 4;
    p.cols = cols;
    p.seconds_per_column = spc;
    p.row_edges_hz = {0, 800, 2000, 6000, 15000};
    p.cells.resize(std::size_t(4) * cols);
    for (int col = 0; col < cols; ++col) {
      const double t = std::fmod((col + 0.5) * spc + 2 * c, 30.0);
      for (int r = 0; r < 4; ++r) p.cells[std::size_t(r) * cols + col] = float(std::exp(-(t - 4) * (t - 4)) / (1 + r));
    }
    profiles.push_back(std::move(p));
  }
  std::size_t events = 0;
  for (auto _ : state) {
    const auto r = detect_events(timeline, profiles, duration);
    events = r.events.size();
    benchmark::DoNotOptimize(r.events.data());
  }
  state.counters["events"] = double(events);
}
BENCHMARK(BM_DetectEvents1h)->Unit(benchmark::kMillisecond);

}  // namespace
