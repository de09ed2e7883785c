// Training on real clips (../shared/audio/events-dev/clips) with the real
// mn04_as: the cross-validated figures are sane, and the model written is a
// model: its analysis uses its own labels, its Torch head gives what the plain
// head gives, and explanations and the sanity cascade run through it.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <unistd.h>

#include "analysis/analysis.h"
#include "analysis_events/analysis_events.h"
#include "audio/audio.h"
#include "core/error.h"
#include "model/model_registry.h"
#include "model/randomised_copy.h"
#include "model/trained_model.h"
#include "test_paths.h"
#include "train/trainer.h"

namespace soundlens {
namespace {
namespace fs = std::filesystem;

const std::vector<std::string> kClasses{"baby_cry", "cough", "knock"};

class TrainRealClipsTest : public ::testing::Test {
 protected:
  // One folder per process: ctest runs each test of the suite as a process of its own, two at a time.
  static fs::path root() { return fs::temp_directory_path() / ("soundlens_train_real_clips_" + std::to_string(::getpid())); }
  static void SetUpTestSuite() {
    fs::remove_all(root());
    for (const auto& c : kClasses) {
      fs::create_directories(root() / "data" / c);
      for (int i = 1; i <= 6; ++i) {
        char name[64];
        std::snprintf(name, sizeof name, "%s_%02d.flac", c.c_str(), i);
        fs::create_symlink(test::shared_audio("events-dev/clips/" + c + "/" + name), root() / "data" / c / name);
      }
    }
    const auto search = model_search_path(test::models_dir());
    base_ = new Analyzer(load_model("mn04_as", search), load_labels(search));
    TrainOptions o;
    o.folds = 3;
    o.cache_dir = (root() / "cache").string();
    report_ = new TrainReport(train_classifier(read_labelled_folder((root() / "data").string()), *base_, o, "three"));
    write_trained_model((root() / "three").string(), report_->model, false);
  }
  static void TearDownTestSuite() {
    delete report_;
    delete base_;
    fs::remove_all(root());
  }
  static inline Analyzer* base_ = nullptr;
  static inline TrainReport* report_ = nullptr;
};

TEST_F(TrainRealClipsTest, HeldOutFoldsTellTheSoundsApart) {
  EXPECT_EQ(report_->files, 18);
  EXPECT_EQ(report_->folds, 3);
  EXPECT_TRUE(report_->skipped.empty());
  EXPECT_GE(report_->after.accuracy, 0.8);
  EXPECT_GE(report_->after.macro_f1, 0.75);
  EXPECT_LE(report_->after.ece, report_->before.ece + 0.05);
  EXPECT_EQ(report_->model.training["files"].size(), 18u);
}

TEST_F(TrainRealClipsTest, ASecondRunReadsEveryEmbeddingFromTheCache) {
  TrainOptions o;
  o.folds = 3;
  o.hidden = 0;
  o.cache_dir = (root() / "cache").string();
  const auto again = train_classifier(read_labelled_folder((root() / "data").string()), *base_, o, "three");
  EXPECT_EQ(again.cached, 18);
}

TEST_F(TrainRealClipsTest, TheWrittenModelIsAModelWithItsOwnLabels) {
  const auto search = model_search_path(test::models_dir());
  const Analyzer trained(load_model((root() / "three").string(), search), load_labels(search));
  EXPECT_EQ(trained.labels().size(), 3);
  EXPECT_EQ(trained.labels().name(1), "cough");
  const auto audio = decode_file(test::shared_audio("events-dev/clips/cough/cough_10.flac"));
  AnalysisOptions o;
  o.top_k = 3;
  const auto a = trained.analyze(audio, o);
  ASSERT_EQ(a.predictions.size(), 3u);
  EXPECT_EQ(a.predictions[0].label, "cough");
  ASSERT_FALSE(a.explanations.empty());
  EXPECT_EQ(a.explanations[0].target.index, a.predictions[0].index);
  EXPECT_FALSE(a.explanations[0].cam.values.empty());
  for (float v : a.explanations[0].cam.values) ASSERT_TRUE(std::isfinite(v));

  // The Torch head (through the staged network) and the plain head on the base's embedding agree.
  const auto e = base_->embed(audio, o);
  ASSERT_EQ(e.spans.size(), 1u);
  const auto* parts = trained_parts(trained.model());
  ASSERT_NE(parts, nullptr);
  const auto logits = head_logits(parts->head, e.values);
  for (int c = 0; c < 3; ++c)
    EXPECT_NEAR(a.probabilities[std::size_t(c)], 1 / (1 + std::exp(-logits[std::size_t(c)])), 1e-4);
}

TEST_F(TrainRealClipsTest, ItsEventsUseTheThresholdsFittedOnTheHeldOutFolds) {
  const auto& fitted = report_->model.event_thresholds;
  ASSERT_EQ(fitted.size(), 3u);
  for (const auto& t : fitted) {
    EXPECT_GE(t.threshold, 0.1);
    EXPECT_LE(t.threshold, 0.9);
    EXPECT_DOUBLE_EQ(t.low, t.threshold / 2);
    EXPECT_GT(t.train_f1, 0.7) << kClasses[std::size_t(t.index)] << ": these three sounds are told apart";
  }
  ASSERT_TRUE(fs::exists(root() / "three" / "thresholds.csv"));
  // The written model's event options are its table's, class by class.
  const auto search = model_search_path(test::models_dir());
  const Analyzer trained(load_model((root() / "three").string(), search), load_labels(search));
  const auto o = frame_event_options(trained);
  ASSERT_EQ(o.rules.size(), 3u);
  for (std::size_t c = 0; c < 3; ++c) {
    EXPECT_EQ(o.rules[c].index, int(c));
    EXPECT_NEAR(o.rules[c].threshold, fitted[c].threshold, 1e-9);
    EXPECT_NEAR(o.rules[c].low, fitted[c].low, 1e-3);  // the table keeps 3 decimals
  }
  EXPECT_TRUE(o.related.empty());
  // A real analysis' events are of its labels.
  AnalysisOptions options;
  options.frame_evidence = true;
  const auto audio = decode_file(test::shared_audio("events-dev/clips/knock/knock_09.flac"));
  const auto a = trained.analyze(audio, options);
  const auto events = analysis_events(trained, audio, a, options, {});
  ASSERT_FALSE(events.result.events.empty());
  for (const auto& e : events.result.events) EXPECT_TRUE(e.label == "baby_cry" || e.label == "cough" || e.label == "knock") << e.label;
}

TEST_F(TrainRealClipsTest, TheSanityCascadeStartsAtTheTrainedHead) {
  const auto search = model_search_path(test::models_dir());
  const auto model = load_model((root() / "three").string(), search);
  const auto steps = randomisation_cascade(*model);
  EXPECT_EQ(steps.front(), "head");
  EXPECT_EQ(steps[1], "features.16");
  const Analyzer trained(model, load_labels(search));
  const auto audio = decode_file(test::shared_audio("events-dev/clips/knock/knock_05.flac"));
  AnalysisOptions o;
  o.top_k = 1;
  o.sanity = true;
  const auto a = trained.analyze(audio, o);
  ASSERT_FALSE(a.explanations.empty());
  ASSERT_TRUE(a.explanations[0].sanity.has_value());
  EXPECT_FALSE(a.explanations[0].sanity->steps.empty());
}

TEST_F(TrainRealClipsTest, AHeadMadeForOtherWeightsIsRefused) {
  auto files = read_trained_model((root() / "three").string());
  files.base_sha256 = std::string(64, '0');
  write_trained_model((root() / "other").string(), files, true);
  const auto search = model_search_path(test::models_dir());
  try {
    load_model((root() / "other").string(), search);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("was made for other mn04_as weights"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace soundlens
