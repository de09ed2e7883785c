// The fused model's combination of two analyses (no model): per class the
// higher probability with the model that gave it, a class one model lacks
// (NaN) from the other, the timeline on the first's windows, each model's
// map of each explained class tagged with its model.
#include <gtest/gtest.h>

#include <cmath>

#include "analysis_events/fused_analysis.h"
#include "core/error.h"

namespace soundlens {
namespace {

const Labels labels = Labels::from_names({"Speech", "Cough", "Dog", "Train"});

TimelineWindow window(double start_s, double end_s, std::vector<float> p) {
  TimelineWindow w;
  w.start_s = start_s;
  w.end_s = end_s;
  w.probabilities = std::move(p);
  return w;
}

Explanation map_of(int c, float value) {
  Explanation e;
  e.target = {c, labels.name(c), value};
  e.cam.rows = 1;
  e.cam.cols = 1;
  e.cam.values = {value};
  return e;
}

// mn04_as: one 10 s window; yamnet: three patches, Speech missing (NaN) as YAMNet lacks some classes.
Analysis first() {
  Analysis a;
  a.model = "mn04_as";
  a.duration_s = 10;
  a.timeline = {window(0, 10, {0.6f, 0.2f, 0.1f, 0.05f})};
  a.probabilities = {0.6f, 0.2f, 0.1f, 0.05f};
  a.explanations = {map_of(0, 0.6f), map_of(1, 0.2f), map_of(3, 0.05f)};
  a.timings_ms = {{"features", 10}, {"inference", 20}, {"analysis", 100}};
  return a;
}

Analysis second() {
  Analysis b;
  b.model = "yamnet";
  b.duration_s = 10;
  b.timeline = {window(0, 0.975, {NAN, 0.9f, 0.0f, 0.3f}), window(4, 4.975, {NAN, 0.1f, 0.4f, 0.2f}),
                window(9.025, 10, {NAN, 0.0f, 0.0f, 0.7f})};
  b.probabilities = {NAN, 0.9f, 0.4f, 0.7f};
  b.explanations = {map_of(1, 0.9f), map_of(3, 0.7f)};
  b.timings_ms = {{"features", 1}, {"inference", 2}, {"analysis", 40}};
  return b;
}

TEST(FusedProbability, TheHigherAndAMissingClassTakesTheOther) {
  EXPECT_FLOAT_EQ(fused_probability(0.2f, 0.7f), 0.7f);
  EXPECT_FLOAT_EQ(fused_probability(0.8f, 0.7f), 0.8f);
  EXPECT_FLOAT_EQ(fused_probability(NAN, 0.3f), 0.3f);
  EXPECT_FLOAT_EQ(fused_probability(0.3f, NAN), 0.3f);
  EXPECT_TRUE(std::isnan(fused_probability(NAN, NAN)));
}

TEST(FusedAnalysis, PredictionsAreTheHigherOfTheTwoAndSayWhichModel) {
  const Analysis f = fuse_analyses(first(), second(), labels, 3, std::vector<int>{1, 3, 0});
  EXPECT_EQ(f.model, "fused");
  EXPECT_EQ(f.models, (std::vector<std::string>{"mn04_as", "yamnet"}));
  ASSERT_EQ(f.probabilities.size(), 4u);
  EXPECT_FLOAT_EQ(f.probabilities[0], 0.6f);  // yamnet has none: mn04_as's
  EXPECT_FLOAT_EQ(f.probabilities[1], 0.9f);
  EXPECT_FLOAT_EQ(f.probabilities[2], 0.4f);
  EXPECT_FLOAT_EQ(f.probabilities[3], 0.7f);
  ASSERT_EQ(f.predictions.size(), 3u);
  EXPECT_EQ(f.predictions[0].index, 1);
  EXPECT_EQ(f.predictions[0].model, "yamnet");
  EXPECT_EQ(f.predictions[1].index, 3);
  EXPECT_EQ(f.predictions[1].model, "yamnet");
  EXPECT_EQ(f.predictions[2].index, 0);
  EXPECT_EQ(f.predictions[2].model, "mn04_as");
  EXPECT_EQ(f.predictions[2].label, "Speech");
}

TEST(FusedAnalysis, TheTimelineIsOnTheFirstsWindowsAndItsMaximumIsTheClips) {
  Analysis a = first();
  a.timeline = {window(0, 10, {0.6f, 0.2f, 0.1f, 0.05f}), window(5, 10, {0.1f, 0.1f, 0.1f, 0.1f})};
  const Analysis f = fuse_analyses(a, second(), labels, 2, std::vector<int>{});
  ASSERT_EQ(f.timeline.size(), 2u);
  EXPECT_DOUBLE_EQ(f.timeline[1].start_s, 5);
  // Window 5-10 s overlaps the patches at 9.025 s only: Train 0.7 there, Cough max(0.1, 0.0).
  EXPECT_FLOAT_EQ(f.timeline[1].probabilities[3], 0.7f);
  EXPECT_FLOAT_EQ(f.timeline[1].probabilities[1], 0.1f);
  EXPECT_FLOAT_EQ(f.timeline[1].probabilities[0], 0.1f);  // NaN in yamnet: the first's
  EXPECT_FLOAT_EQ(f.timeline[0].probabilities[1], 0.9f);
  for (std::size_t c = 0; c < 4; ++c) {
    float most = 0;
    for (const auto& w : f.timeline) most = std::max(most, w.probabilities[c]);
    EXPECT_FLOAT_EQ(most, f.probabilities[c]) << c;
  }
  EXPECT_EQ(f.timeline[1].predictions.size(), 2u);
  EXPECT_EQ(f.timeline[1].predictions[0].model, "yamnet");
}

TEST(FusedAnalysis, EachTargetHasEachModelsMapTaggedFirstThenSecond) {
  const Analysis f = fuse_analyses(first(), second(), labels, 3, std::vector<int>{1, 3, 0});
  ASSERT_EQ(f.explanations.size(), 5u);  // Speech has no yamnet map (it has no output for it)
  const std::vector<std::pair<int, std::string>> want{
      {1, "mn04_as"}, {1, "yamnet"}, {3, "mn04_as"}, {3, "yamnet"}, {0, "mn04_as"}};
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(f.explanations[i].target.index, want[i].first) << i;
    EXPECT_EQ(f.explanations[i].model, want[i].second) << i;
  }
  EXPECT_FLOAT_EQ(f.explanations[1].cam.values[0], 0.9f);  // yamnet's own map
}

TEST(FusedAnalysis, TimingsAreSummedButTheAnalysisIsTheFirstsWhichHoldsTheSecond) {
  const Analysis f = fuse_analyses(first(), second(), labels, 2, std::vector<int>{});
  EXPECT_DOUBLE_EQ(f.timings_ms.at("features"), 11);
  EXPECT_DOUBLE_EQ(f.timings_ms.at("inference"), 22);
  EXPECT_DOUBLE_EQ(f.timings_ms.at("analysis"), 100);
}

TEST(FusedAnalysis, TargetsAreTheFusedTopThenThePinned) {
  const std::vector<float> a{0.6f, 0.2f, 0.1f, 0.05f}, b{NAN, 0.9f, 0.4f, 0.7f};
  EXPECT_EQ(fused_targets(a, b, 2, std::vector<int>{}), (std::vector<int>{1, 3}));
  EXPECT_EQ(fused_targets(a, b, 2, std::vector<int>{2, 1}), (std::vector<int>{1, 3, 2}));
  EXPECT_EQ(fused_targets(a, b, 10, std::vector<int>{}), (std::vector<int>{1, 3, 0, 2}));
}

TEST(FusedAnalysis, DifferentClassListsAreRefused) {
  Analysis b = second();
  b.probabilities.pop_back();
  EXPECT_THROW(fuse_analyses(first(), b, labels, 2, std::vector<int>{}), Error);
}

TEST(FusedAnalysis, TheModelIsNamedAndMadeOfMn04AndYamnet) {
  EXPECT_TRUE(is_fused_model("fused"));
  EXPECT_FALSE(is_fused_model("Fused"));
  EXPECT_FALSE(is_fused_model(""));
  EXPECT_EQ(fused_model_parts(), (std::vector<std::string>{"mn04_as", "yamnet"}));
}

}  // namespace
}  // namespace soundlens
