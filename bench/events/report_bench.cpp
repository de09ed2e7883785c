// The PDF report for a 10 s clip (target: at most 100 ms): five explained
// classes with their figures, a dozen events and the quality flags.
#include <benchmark/benchmark.h>

#include "render/report_pdf.h"
#include "synthetic.h"

namespace {

using namespace soundlens;

void BM_ReportPdf10s(benchmark::State& state) {
  const auto mel = synthetic::chirp(10);  // 128 mel bins x 1001 frames, as mn04_as gives for 10 s
  std::vector<CamMap> cams;
  for (int k = 0; k < 5; ++k) cams.push_back(synthetic::blob_cam(4, 32, 0.32, 32, 1.5 + 1.7 * k, 20 + 20 * k, 0.6, 20));
  ReportInput in;
  in.file_name = "clip.wav";
  in.format = "wav / pcm_s16le, 44100 Hz, 1 channel";
  in.duration_s = 10;
  in.sha256 = std::string(64, '0');
  in.soundlens_version = "bench";
  in.model = "mn04_as";
  in.weights_file = "efficientat/mn04_as_mAP_432.pt";
  in.weights_sha256 = std::string(64, '1');
  in.date = "2026-11-28T00:00:00Z";
  for (const char* p : {"top_k", "window_s", "hop_s", "threads", "event_window_high", "event_window_low",
                        "event_min_duration_s", "event_merge_gap_s"})
    in.parameters.push_back({p, "1"});
  for (int k = 0; k < 5; ++k) {
    in.predictions.push_back({k, "Class " + std::to_string(k), 0.9f - 0.1f * k});
    in.figures.push_back(
        {in.predictions.back(), "Grad-CAM on features.16 (score: logit)", 0.7, &mel, &cams[std::size_t(k)]});
  }
  for (int e = 0; e < 12; ++e)
    in.events.push_back({e % 5, "Class " + std::to_string(e % 5), 0.8 * e, 0.8 * e + 0.64, 0.5f, 250, 2500});
  for (int k = 0; k < 5; ++k) in.counts.push_back({k, "Class " + std::to_string(k), 2, 720});
  for (const char* f : {"narrowband", "clipping", "mostly_silent", "shorter_than_one_cell", "low_confidence"})
    in.quality.push_back({f, false, 0, "", "A sentence about this flag."});
  std::size_t bytes = 0;
  for (auto _ : state) {
    const auto pdf = render_report_pdf(in);
    bytes = pdf.size();
    benchmark::DoNotOptimize(pdf.data());
  }
  state.counters["pdf_kB"] = double(bytes) / 1000;
}
BENCHMARK(BM_ReportPdf10s)->Unit(benchmark::kMillisecond);

}  // namespace
