// The fused model on real audio (label model): one analysis from one pass of
// each network, whose clip probabilities are the higher of the two models' own
// analyses, with each model's map of every explained class and events that
// name both models; streamed equals whole; both networks' work counts against
// the window and time limits.
#include <gtest/gtest.h>

#include <cmath>

#include "analysis/analysis_json.h"
#include "analysis_events/fused_analysis.h"
#include "core/error.h"
#include "model/model_registry.h"
#include "real_analyzers.h"
#include "test_paths.h"

namespace soundlens {
namespace {

const Analyzer& analyzer(const std::string& model) { return test::real_analyzer(model); }

FusedModels fused() { return {&analyzer("mn04_as"), &analyzer("yamnet")}; }

// 12 s of events-dev's dev_0 around a cough (81.3 s) and a snore (85.7 s).
const Audio& clip() {
  static const Audio audio = [] {
    Audio whole = decode_file(test::shared_audio("events-dev/dev_0.flac"));
    Audio out = whole;
    const auto a = std::size_t(76.0 * whole.sample_rate), b = std::size_t(88.0 * whole.sample_rate);
    out.samples.assign(whole.samples.begin() + long(a), whole.samples.begin() + long(b));
    return out;
  }();
  return audio;
}

const StreamedAnalysis& fused_clip() {
  static const StreamedAnalysis done = fused_analyze(fused(), clip(), AnalysisOptions{});
  return done;
}

TEST(FusedModel, ClipProbabilitiesAreTheHigherOfEachModelsOwnAnalysis) {
  const Analysis& f = fused_clip().analysis;
  EXPECT_EQ(f.model, "fused");
  EXPECT_EQ(f.models, (std::vector<std::string>{"mn04_as", "yamnet"}));
  AnalysisOptions plain;
  const Analysis a = analyzer("mn04_as").analyze(clip(), plain), b = analyzer("yamnet").analyze(clip(), plain);
  ASSERT_EQ(f.probabilities.size(), a.probabilities.size());
  for (std::size_t c = 0; c < f.probabilities.size(); ++c) {
    const float want = std::isnan(b.probabilities[c]) ? a.probabilities[c] : std::max(a.probabilities[c], b.probabilities[c]);
    EXPECT_NEAR(f.probabilities[c], want, 1e-6) << c;
  }
  ASSERT_EQ(f.predictions.size(), 5u);
  for (const auto& p : f.predictions) {
    const float pa = a.probabilities[std::size_t(p.index)], pb = b.probabilities[std::size_t(p.index)];
    EXPECT_EQ(p.model, !std::isnan(pb) && pb > pa ? "yamnet" : "mn04_as") << p.label;
  }
  EXPECT_EQ(f.timeline.size(), a.timeline.size());  // mn04_as's 10 s windows
  EXPECT_TRUE(f.frames.probabilities.empty());
}

TEST(FusedModel, EveryExplainedClassHasEachModelsMapOnTheRecordingsTimeAxis) {
  const Analysis& f = fused_clip().analysis;
  for (const auto& p : f.predictions) {
    int mn = 0, yam = 0;
    for (const auto& e : f.explanations) {
      if (e.target.index != p.index) continue;
      (e.model == "mn04_as" ? mn : yam) += 1;
      EXPECT_EQ(e.cam.layer, e.model == "mn04_as" ? "features.16" : "layer14");
      EXPECT_NEAR(e.cam.cols * e.cam.seconds_per_column, clip().duration_s(), 1.0) << e.model << " " << p.label;
    }
    EXPECT_EQ(mn, 1) << p.label;
    EXPECT_EQ(yam, 1) << p.label;
  }
  EXPECT_EQ(f.explanations.front().model, "mn04_as");  // the figure's map, over mn04_as's spectrogram
}

TEST(FusedModel, EventsNameBothModels) {
  const auto& events = fused_clip().events.result.events;
  ASSERT_FALSE(events.empty());
  bool cough = false;
  for (const auto& e : events) {
    ASSERT_EQ(e.models.size(), 2u) << e.label;
    EXPECT_EQ(e.models[0].model, "mn04_as");
    EXPECT_EQ(e.models[1].model, "yamnet");
    EXPECT_LE(e.offset_s, clip().duration_s());
    cough |= e.index == 47 && e.onset_s < 6.5 && e.offset_s > 5.0;
  }
  EXPECT_TRUE(cough);  // the cough at 5.3 s of the clip
  EXPECT_EQ(fused_clip().events.quality.size(), 5u);
}

TEST(FusedModel, StreamedEqualsWhole) {
  const StreamedAnalysis streamed = fused_analyze_stream(fused(), memory_reader(clip()), AnalysisOptions{});
  const Analysis& whole = fused_clip().analysis;
  ASSERT_EQ(streamed.analysis.predictions.size(), whole.predictions.size());
  for (std::size_t i = 0; i < whole.predictions.size(); ++i) {
    EXPECT_EQ(streamed.analysis.predictions[i].index, whole.predictions[i].index);
    EXPECT_NEAR(streamed.analysis.predictions[i].probability, whole.predictions[i].probability, 1e-4);
    EXPECT_EQ(streamed.analysis.predictions[i].model, whole.predictions[i].model);
  }
  EXPECT_EQ(streamed.analysis.explanations.size(), whole.explanations.size());
  ASSERT_EQ(streamed.events.result.events.size(), fused_clip().events.result.events.size());
  for (std::size_t i = 0; i < streamed.events.result.events.size(); ++i)
    EXPECT_EQ(streamed.events.result.events[i].index, fused_clip().events.result.events[i].index);
}

// A class YAMNet has no output for is explained by mn04_as alone; it is no error.
TEST(FusedModel, APinnedClassOneModelLacksHasTheOthersMap) {
  const int missing = analyzer("yamnet").model().info().missing_classes.at(0);
  AnalysisOptions o;
  o.top_k = 1;
  o.classes = {std::to_string(missing)};
  const Analysis f = fused_analyze(fused(), clip(), o).analysis;
  int maps = 0;
  for (const auto& e : f.explanations)
    if (e.target.index == missing) {
      ++maps;
      EXPECT_EQ(e.model, "mn04_as");
    }
  EXPECT_EQ(maps, 1);
  o.classes = {"no such class"};
  try {
    fused_analyze(fused(), clip(), o);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::bad_request);
  }
}

// The inference threads of this test's thread, for one scope.
struct Threads {
  int before = inference_threads();
  explicit Threads(int n) { set_inference_threads(n); }
  ~Threads() { set_inference_threads(before); }
};

nlohmann::json reported(const StreamedAnalysis& a) {
  auto j = analysis_to_json(a.analysis, JsonOptions{true});
  add_events_json(j, a.events);
  j.erase("timings_ms");
  return j;
}

TEST(FusedModel, WithTwoThreadsThePartsRunSideBySideWithTheSameResult) {
  AnalysisOptions o;
  o.classes = {"Snoring"};
  const auto one = [&] {
    Threads t(1);
    return std::pair{fused_analyze(fused(), clip(), o), fused_analyze_stream(fused(), memory_reader(clip(), 30000), o)};
  }();
  Threads t(2);
  const StreamedAnalysis whole = fused_analyze(fused(), clip(), o);
  const StreamedAnalysis streamed = fused_analyze_stream(fused(), memory_reader(clip(), 30000), o);
  EXPECT_EQ(inference_threads(), 2);  // given back after the parts took one each
  for (const auto& [got, want] : {std::pair{&whole, &one.first}, std::pair{&streamed, &one.second}}) {
    EXPECT_EQ(reported(*got), reported(*want));
    ASSERT_EQ(got->analysis.explanations.size(), want->analysis.explanations.size());
    for (std::size_t i = 0; i < got->analysis.explanations.size(); ++i)
      EXPECT_EQ(got->analysis.explanations[i].cam.values, want->analysis.explanations[i].cam.values) << i;
  }
  EXPECT_EQ(reported(whole), reported(streamed));
}

TEST(FusedModel, BothNetworksWindowsCountAgainstTheLimit) {
  AnalysisOptions o;
  // 10: 2 windows of mn04_as fit, yamnet's 24 patches do not. Side by side (2 threads), yamnet's
  // pass fails while mn04_as's waits for it: the waiting one stops, and yamnet's error is the one said.
  // 25: each fits alone, not both (26).
  for (const auto& [streamed, threads, limit] : {std::tuple{false, 1, 10}, {true, 1, 10}, {false, 2, 10},
                                                 {true, 2, 10}, {false, 2, 25}, {true, 2, 25}, {true, 1, 25}}) {
    Threads t(threads);
    o.limits.max_windows = limit;
    try {
      if (streamed) fused_analyze_stream(fused(), memory_reader(clip()), o);
      else fused_analyze(fused(), clip(), o);
      FAIL() << streamed << " " << threads << " " << limit;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::too_many_windows) << e.what() << " " << threads;
      const std::string m = e.what();
      EXPECT_NE(m.find("fused"), std::string::npos) << m;
      EXPECT_NE(m.find("yamnet"), std::string::npos) << m;
      EXPECT_NE(m.find("--max-windows"), std::string::npos) << m;
    }
  }
  EXPECT_NO_THROW(check_fused_windows(fused(), clip().samples.size(), AnalysisOptions{}));
}

TEST(FusedModel, TheTimeLimitCountsBothNetworks) {
  AnalysisOptions o;
  o.limits.timeout_s = 1e-4;
  for (int threads : {1, 2}) {
    Threads t(threads);
    try {
      fused_analyze(fused(), clip(), o);
      FAIL() << threads;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::timeout) << e.what();
      EXPECT_NE(std::string(e.what()).find("fused"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace soundlens
