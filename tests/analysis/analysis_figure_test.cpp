// The analyzer returns the figure's data and render draws it (issue 18): on
// real clips, the overview is the whole recording's spectrogram (one window
// and many), and the analysis' figure is the one the media routes draw for
// its top class from the spectrogram and a fresh explanation.
#include <gtest/gtest.h>

#include "analysis/analysis.h"
#include "model/model_registry.h"
#include "render/analysis_figure.h"
#include "test_paths.h"

namespace soundlens {
namespace {

const Analyzer& analyzer() {
  static const Analyzer a(load_model("mn04_as", {test::models_dir()}), load_labels({test::models_dir()}));
  return a;
}

TEST(AnalysisFigureData, TheOverviewIsTheWholeSpectrogramAndItsFigureTheMediaRoutesOne) {
  // 0.3 s and 10 s: one window; 90 s: 17 windows, the spectrogram computed again.
  for (const char* clip : {"awkward/03_short_0p3s_door_knock.wav", "example/metro_station-paris.wav",
                           "awkward/04_long_90s_concat.wav"}) {
    SCOPED_TRACE(clip);
    const Audio audio = decode_file(test::shared_audio(clip));
    AnalysisOptions o;
    o.top_k = 1;  // one target, as the media route explains it (several share one backward pass: last bits differ)
    EXPECT_FALSE(analyzer().analyze(audio, o).overview) << "no figure asked for, no overview kept";
    o.figure = true;
    const Analysis a = analyzer().analyze(audio, o);
    ASSERT_TRUE(a.overview);
    const MelSpectrogram whole = analyzer().spectrogram(audio);
    EXPECT_EQ(a.overview->n_frames, whole.n_frames);
    EXPECT_EQ(a.overview->n_mels, whole.n_mels);
    EXPECT_EQ(a.overview->values, whole.values);
    EXPECT_EQ(a.overview->center_hz, whole.center_hz);
    const Explanation e = analyzer().explain(audio, a.explanations.front().target.index, o);
    EXPECT_EQ(analysis_figure_png(a), explanation_figure_png(whole, e, "mn04_as"));
  }
}

}  // namespace
}  // namespace soundlens
