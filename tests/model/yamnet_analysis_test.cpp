// YAMNet through the analyzer: its own window (one patch, every 0.48 s), the
// six AudioSet classes it lacks left out of the ranking and written as null,
// Grad-CAM on layer14 stitched over the recording.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "analysis/analysis.h"
#include "analysis/analysis_json.h"
#include "core/error.h"
#include "explain/faithfulness.h"
#include "model/model_registry.h"
#include "test_paths.h"

namespace soundlens::test {
namespace {

const Analyzer& analyzer() {
  static const Analyzer a(load_model("yamnet", {models_dir()}), load_labels({models_dir()}));
  return a;
}

TEST(YamnetAnalysis, MetroThroughTheAnalyzer) {
  const auto audio = decode_file(shared_audio("example/metro_station-paris.wav"));
  AnalysisOptions o;
  o.window_s = 10;  // ignored: YAMNet's window is its patch
  o.figure = true;
  const auto a = analyzer().analyze(audio, o);
  EXPECT_EQ(a.model, "yamnet");
  EXPECT_DOUBLE_EQ(a.window_s, 0.975);
  EXPECT_DOUBLE_EQ(a.hop_s, 0.48);
  ASSERT_EQ(a.timeline.size(), 20u);  // 1 + ceil((10 s - 0.975 s) / 0.48 s)
  EXPECT_NEAR(a.timeline[1].start_s, 0.48, 1e-9);
  ASSERT_EQ(a.predictions.size(), 5u);
  for (const auto& p : a.predictions) EXPECT_FALSE(std::isnan(p.probability)) << p.label;
  EXPECT_EQ(a.predictions[0].label, "Vehicle");
  EXPECT_EQ(a.predictions[1].label, "Rail transport");
  const auto& missing = analyzer().model().info().missing_classes;
  ASSERT_EQ(missing.size(), 6u);
  for (int c : missing) EXPECT_TRUE(std::isnan(a.probabilities.at(std::size_t(c))));
  ASSERT_EQ(a.explanations.size(), 5u);
  EXPECT_EQ(a.explanations[0].cam.layer, "layer14");
  EXPECT_EQ(a.explanations[0].cam.mel_bins_per_row, 32);
  // The figure's data: 20 windows, so the whole recording's spectrogram.
  ASSERT_TRUE(a.overview);
  EXPECT_EQ(a.overview->values, analyzer().spectrogram(audio).values);

  const auto j = analysis_to_json(a, {true});
  for (int c : missing) EXPECT_TRUE(j["probabilities"][std::size_t(c)].is_null()) << c;
  EXPECT_TRUE(j["probabilities"][0].is_number());
  const auto dumped = j.dump();  // valid JSON: no NaN literal
  EXPECT_EQ(dumped.find("NaN"), std::string::npos);
  EXPECT_EQ(dumped.find("nan"), std::string::npos);
}

TEST(YamnetAnalysis, AMissingClassCannotBeExplained) {
  const auto audio = decode_file(shared_audio("example/metro_station-paris.wav"));
  AnalysisOptions o;
  o.classes = {"Battle cry"};
  try {
    (void)analyzer().analyze(audio, o);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::bad_request);
    EXPECT_NE(std::string(e.what()).find("Battle cry"), std::string::npos);
  }
}

TEST(YamnetAnalysis, ShortClipIsOnePatch) {
  const auto audio = decode_file(shared_audio("awkward/03_short_0p3s_door_knock.wav"));
  const auto a = analyzer().analyze(audio, {});
  EXPECT_EQ(a.timeline.size(), 1u);
  EXPECT_EQ(a.explanations.size(), 5u);
}

// The trust checks on YAMNet's maps, as the analyzer runs them: deletion
// faithfulness over its own patches (96 frames every 48) and the
// randomisation cascade through its own layers. A real cough placed at 2 s
// into 10 s of quiet noise.
TEST(YamnetAnalysis, FaithfulnessAndSanityRunOnItsMaps) {
  const auto cough = decode_file(shared_audio("cough/063900f6-c03b-4ffb-b51b-877b6b5a74d5.flac"));
  Audio audio = cough;
  audio.samples.assign(320000, 0.0f);
  std::uint32_t state = 99;
  for (auto& s : audio.samples) {
    state = state * 1664525u + 1013904223u;
    s = (float(state >> 8) / float(1u << 24) - 0.5f) * 0.004f;  // about -60 dBFS
  }
  for (std::size_t i = 0; i < cough.samples.size(); ++i) audio.samples[64000 + i] += cough.samples[i];
  AnalysisOptions o;
  o.top_k = 1;
  o.classes = {"Cough"};
  o.faithfulness = true;
  o.sanity = true;
  const auto a = analyzer().analyze(audio, o);
  const Explanation* e = nullptr;
  for (const auto& x : a.explanations)
    if (x.target.label == "Cough") e = &x;
  ASSERT_NE(e, nullptr);
  ASSERT_TRUE(e->faithfulness);
  ASSERT_TRUE(e->sanity);
  const auto& f = *e->faithfulness;
  std::printf("yamnet, cough at 2 s (p %.3f): faithfulness %.3f (random map %.3f); sanity:", e->target.probability,
              f.score, f.random_score);
  for (const auto& s : e->sanity->steps) std::printf(" %s %.3f", s.randomised.c_str(), s.spearman);
  std::printf("\n");
  ASSERT_EQ(f.morf.size(), std::size_t(kFaithfulnessSteps + 1));
  // Nothing removed: the analysis' own clip probability (the same patches).
  EXPECT_NEAR(f.morf.front(), e->target.probability, 1e-3);
  EXPECT_GT(f.score, f.random_score);
  ASSERT_EQ(e->sanity->steps.size(), 5u);
  EXPECT_EQ(e->sanity->steps[0].randomised, "classifier");
  EXPECT_EQ(e->sanity->steps[1].randomised, "layer14");
  EXPECT_EQ(e->sanity->steps[4].randomised, "layer11");
  EXPECT_TRUE(e->sanity->passed);
}

}  // namespace
}  // namespace soundlens::test
