// The robustness of a real cough (ESC-50's coughing clip) with the real
// mn04_as: the clean figure is the analysis' own, the measurement is
// repeatable, and the command line reports, draws and refuses bad classes.
#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "analysis/analysis.h"
#include "audio/audio.h"
#include "command_output.h"
#include "model/model_registry.h"
#include "robustness/robustness.h"
#include "test_paths.h"

namespace soundlens {
namespace {
namespace fs = std::filesystem;

const std::string kCough = "esc50-sample/4-152995-A-24.flac";

TEST(RobustnessRealTest, TheCleanFigureIsTheAnalysisOwnAndTheRunIsRepeatable) {
  const auto search = model_search_path(test::models_dir());
  const Analyzer analyzer(load_model("mn04_as", search), load_labels(search));
  const auto audio = decode_file(test::shared_audio(kCough));
  RobustnessOptions o;
  o.classes = {*analyzer.labels().find("Cough")};
  const auto r = robustness(analyzer, audio, o);
  AnalysisOptions plain;
  plain.top_k = 1;
  const auto a = analyzer.analyze(audio, plain);
  EXPECT_NEAR(r.clean[0], a.probabilities[std::size_t(o.classes[0])], 1e-6);
  // Every change measured, or all but the own background's four levels, said once why.
  if (r.rows.size() != standard_perturbations().size()) {
    EXPECT_EQ(r.rows.size() + 4, standard_perturbations().size());
    ASSERT_EQ(r.skipped.size(), 1u);
    EXPECT_NE(r.skipped[0].find("own background"), std::string::npos) << r.skipped[0];
  }
  ASSERT_EQ(r.sentences.size(), 1u);
  EXPECT_EQ(r.sentences[0].rfind("Cough (", 0), 0u) << r.sentences[0];
  const auto again = robustness(analyzer, audio, o);
  for (std::size_t i = 0; i < r.rows.size(); ++i) EXPECT_EQ(r.rows[i].probability, again.rows[i].probability);
  // A gain that only scales the samples changes little on a log-mel network only when it is small.
  for (const auto& row : r.rows)
    if (row.perturbation.condition == "delayed 0.25 s") EXPECT_NEAR(row.probability[0], r.clean[0], 0.15);
}

TEST(RobustnessRealTest, TheCommandLineReportsDrawsAndRefusesUnknownClasses) {
  const auto dir = fs::temp_directory_path() / ("soundlens-robustness-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string base = "'" + test::soundlens_binary() + "' robustness '" + test::shared_audio(kCough) +
                           "' --model-dir '" + test::models_dir() + "'";
  auto r = test::run_command(base + " --class Cough --json --figure '" + (dir / "r.png").string() + "' 2>&1");
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["classes"], (nlohmann::json{"Cough"}));
  EXPECT_GE(j["changes"].size(), 17u);
  EXPECT_EQ(test::slurp(dir / "r.png").substr(1, 3), "PNG");
  r = test::run_command(base + " --class 'Not a class' 2>&1");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("unknown class 'Not a class' for --class"), std::string::npos) << r.out;
  r = test::run_command("'" + test::soundlens_binary() + "' robustness /nonexistent.wav 2>&1");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.out.find("/nonexistent.wav"), std::string::npos) << r.out;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace soundlens
