// explain_look CLIP CLASS [OUT_DIR] [MODEL]: runs every explanation method on
// one clip (one window when it is at most 10 s) and prints where each map
// lights up: the peak column and row (with their time and band in Hz), the
// three strongest cells, and the share of the map inside the peak row's band.
// Writes OUT_DIR/METHOD.png figures when OUT_DIR is given.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <numeric>

#include "audio/audio.h"
#include "explain/explanation_method.h"
#include "model/model_registry.h"
#include "render/figure.h"

using namespace soundlens;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: explain_look CLIP CLASS [OUT_DIR] [MODEL]\n");
    return 2;
  }
  const std::string out_dir = argc > 3 ? argv[3] : "";
  const auto model = load_model(argc > 4 ? argv[4] : "mn04_as", model_search_path(""));
  const int cls = std::atoi(argv[2]);
  auto audio = decode_file(argv[1]);
  if (audio.duration_s() > 10) audio.samples.resize(size_t(10 * audio.sample_rate));
  const std::vector<MelSpectrogram> mels{model->frontend().compute(audio.samples)};
  const auto pass = model->forward(mels);
  const WindowBatch batch{mels, pass.get()};
  const double start = 0;
  const ExplainTarget target{cls, -1};
  std::printf("%s, class %d, logit %.3f, %.2f s\n", argv[1], cls, pass->logits(0)[size_t(cls)], audio.duration_s());
  for (const auto& name : explanation_method_names()) {
    const auto map = explain_recording(*model, explanation_method(name), std::span(&batch, 1), std::span(&start, 1),
                                       std::span(&target, 1), audio.duration_s())
                         .front();
    std::vector<double> by_col(size_t(map.cols)), by_row(size_t(map.rows));
    double total = 0;
    for (int r = 0; r < map.rows; ++r)
      for (int c = 0; c < map.cols; ++c) by_col[size_t(c)] += map.at(r, c), by_row[size_t(r)] += map.at(r, c), total += map.at(r, c);
    const int pc = int(std::max_element(by_col.begin(), by_col.end()) - by_col.begin());
    const int pr = int(std::max_element(by_row.begin(), by_row.end()) - by_row.begin());
    std::printf("\n%-22s %d rows x %d cols (%.2f s x %.0f mel bins per cell)%s\n", name.c_str(), map.rows, map.cols,
                map.seconds_per_column, map.mel_bins_per_row,
                map.completeness_error ? (", completeness error " + std::to_string(*map.completeness_error)).c_str()
                                       : "");
    std::printf("  peak time %.2f-%.2f s; peak band %.0f-%.0f Hz holding %.0f%% of the map\n",
                pc * map.seconds_per_column, (pc + 1) * map.seconds_per_column, map.row_edges_hz[size_t(pr)],
                map.row_edges_hz[size_t(pr) + 1], 100 * by_row[size_t(pr)] / std::max(total, 1e-12));
    std::vector<int> cells(map.values.size());
    std::iota(cells.begin(), cells.end(), 0);
    std::partial_sort(cells.begin(), cells.begin() + 3, cells.end(),
                      [&](int a, int b) { return map.values[size_t(a)] > map.values[size_t(b)]; });
    for (int i = 0; i < 3; ++i) {
      const int r = cells[size_t(i)] / map.cols, c = cells[size_t(i)] % map.cols;
      std::printf("  cell %.0f-%.0f Hz, %.2f-%.2f s: %.2f\n", map.row_edges_hz[size_t(r)],
                  map.row_edges_hz[size_t(r) + 1], c * map.seconds_per_column, (c + 1) * map.seconds_per_column,
                  map.at(r, c));
    }
    if (!out_dir.empty()) {
      FigureSpec spec;
      spec.spectrogram = &mels[0];
      spec.cam = &map;
      spec.title = "class " + std::to_string(cls) + " - " + name + " on " + map.layer + ", " + model->info().name;
      const auto png = render_figure_png(spec);
      std::ofstream(out_dir + "/" + name + ".png", std::ios::binary)
          .write(reinterpret_cast<const char*>(png.data()), std::streamsize(png.size()));
    }
  }
}
