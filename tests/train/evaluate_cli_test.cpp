// `soundlens evaluate --report OUT.pdf` as a user runs it, read back with
// poppler's pdftotext: the per-class table, the reliability diagram and ECE
// (the same figures --json prints), what was evaluated on (the weights' and
// every file's SHA-256), the confusion matrix of a trained single-label model,
// and output paths that cannot be written refused before any work.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "command_output.h"
#include "test_paths.h"

namespace {
namespace fs = std::filesystem;
using namespace soundlens::test;

std::string q(const fs::path& p) { return "'" + p.string() + "'"; }
std::string three(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", v);
  return text;
}
std::string sha256_of(const fs::path& p) { return command_output("sha256sum " + q(p)).substr(0, 64); }

class EvaluateCli : public ::testing::Test {
 protected:
  fs::path root = fs::temp_directory_path() / ("soundlens-evaluate-cli-" + std::to_string(::getpid()) + "-" +
                                               ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::string bin = q(soundlens_binary()), models = " --model-dir " + q(models_dir());
  void SetUp() override { fs::remove_all(root); }
  void TearDown() override { fs::remove_all(root); }
  void add(const std::string& folder, const std::string& label, const std::string& clip_class, const std::string& stem,
           int from, int to) {
    fs::create_directories(root / folder / label);
    for (int i = from; i <= to; ++i) {
      char name[64];
      std::snprintf(name, sizeof name, "%s_%02d.flac", stem.c_str(), i);
      fs::copy_file(shared_audio("events-dev/clips/" + clip_class + "/" + name), root / folder / label / name);
    }
  }
  bool have_poppler() { return !command_output("command -v pdftotext").empty(); }
};

TEST_F(EvaluateCli, TheReportHoldsTheTableTheReliabilityAndWhatItWasEvaluatedOn) {
  if (!have_poppler()) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  add("data", "Cough", "cough", "cough", 1, 3);
  add("data", "Laughter", "laughter", "laughter", 1, 3);
  add("data", "none", "background_forest", "forest", 0, 1);
  const auto r = run_command(bin + " evaluate " + q(root / "data") + models + " --json --report " + q(root / "r.pdf") +
                             " 2>/dev/null");
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  const auto text = pdf_file_text(root / "r.pdf");
  EXPECT_NE(text.find("soundlens evaluation report"), std::string::npos) << text;
  EXPECT_NE(text.find("Model mn04_as"), std::string::npos) << text;
  EXPECT_NE(text.find(sha256_of(fs::path(models_dir()) / "efficientat/mn04_as_mAP_432.pt")), std::string::npos) << text;
  EXPECT_NE(text.find((root / "data").string()), std::string::npos) << text;
  EXPECT_NE(text.find("8 evaluated, 0 skipped"), std::string::npos) << text;
  EXPECT_NE(text.find("predicted at or above 0.5"), std::string::npos) << text;
  // Every file, with its SHA-256.
  EXPECT_NE(text.find("Cough/cough_02.flac"), std::string::npos) << text;
  EXPECT_NE(text.find(sha256_of(root / "data/Cough/cough_02.flac")), std::string::npos) << text;
  EXPECT_NE(text.find(sha256_of(root / "data/none/forest_01.flac")), std::string::npos) << text;
  // The per-class rows and the ECE are the figures --json prints.
  for (const auto& c : j["classes"]) {
    const std::string row = c["label"].get<std::string>() + " " + std::to_string(c["support"].get<int>()) + " " +
                            three(c["precision"]) + " " + three(c["recall"]) + " " + three(c["f1"]) + " " +
                            three(c["average_precision"]);
    EXPECT_NE(text.find(row), std::string::npos) << row << "\n" << text;
  }
  EXPECT_NE(text.find("Expected calibration error (10 bins): " + three(j["ece"])), std::string::npos) << text;
  EXPECT_NE(text.find("Reliability of mn04_as"), std::string::npos) << text;  // the diagram's title, drawn as text
  EXPECT_NE(text.find("probability of a class (bins)"), std::string::npos) << text;  // and its axis
  EXPECT_NE(text.find("Macro average precision " + three(j["macro_average_precision"])), std::string::npos) << text;
  EXPECT_EQ(text.find("Confusion matrix"), std::string::npos) << "multi-label: no confusion matrix\n" << text;
}

TEST_F(EvaluateCli, ATrainedSingleLabelModelsReportHasItsConfusionMatrix) {
  if (!have_poppler()) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  add("train", "cough", "cough", "cough", 1, 4);
  add("train", "laughter", "laughter", "laughter", 1, 4);
  auto r = run_command(bin + " train " + q(root / "train") + models + " --cache-dir " + q(root / "cache") +
                       " --folds 2 --head logistic --out " + q(root / "laughs") + " 2>&1");
  ASSERT_EQ(r.status, 0) << r.out;
  add("held-out", "cough", "cough", "cough", 10, 12);
  add("held-out", "laughter", "laughter", "laughter", 10, 11);
  r = run_command(bin + " evaluate " + q(root / "held-out") + models + " --model " + q(root / "laughs") + " --json --report " +
                  q(root / "r.pdf") + " 2>/dev/null");
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  const auto text = pdf_file_text(root / "r.pdf");
  EXPECT_NE(text.find("Model laughs"), std::string::npos) << text;
  EXPECT_NE(text.find("2, single-label"), std::string::npos) << text;
  EXPECT_NE(text.find("Accuracy " + three(j["accuracy"])), std::string::npos) << text;
  ASSERT_NE(text.find("Confusion matrix"), std::string::npos) << text;
  // The rows as --json's matrix: "1 cough a b", "2 laughter c d" (the columns are numbered).
  const auto& m = j["confusion"];
  ASSERT_EQ(m.size(), 2u) << j.dump();
  EXPECT_NE(text.find("1 cough " + std::to_string(m[0][0].get<int>()) + " " + std::to_string(m[0][1].get<int>())),
            std::string::npos) << text;
  EXPECT_NE(text.find("2 laughter " + std::to_string(m[1][0].get<int>()) + " " + std::to_string(m[1][1].get<int>())),
            std::string::npos) << text;
}

TEST_F(EvaluateCli, OutputsThatCannotBeWrittenAreRefusedBeforeAnyWork) {
  add("data", "Cough", "cough", "cough", 1, 2);
  add("data", "none", "background_forest", "forest", 0, 1);
  fs::create_directories(root / "a-directory");
  struct Case {
    std::string args, expected;
  } cases[] = {
      {"--report " + q(root / "missing" / "r.pdf"), "does not exist"},
      {"--report " + q(root / "a-directory"), "is a directory"},
      {"--csv " + q(root / "missing" / "s.csv"), "--csv '"},
      {"--reliability " + q(root / "a-directory"), "--reliability '"},
  };
  for (const auto& c : cases) {
    const auto r = run_command(bin + " evaluate " + q(root / "data") + models + " " + c.args + " 2>&1");
    EXPECT_EQ(r.status, 2) << c.args << "\n" << r.out;
    EXPECT_NE(r.out.find("soundlens: --" + c.args.substr(2, c.args.find(' ') - 2) + " '"), std::string::npos)
        << "names the option: " << r.out;
    EXPECT_NE(r.out.find(c.expected), std::string::npos) << c.args << "\n" << r.out;
    EXPECT_EQ(r.out.find("Evaluated"), std::string::npos) << "no evaluation should run: " << r.out;
  }
  EXPECT_FALSE(fs::exists(root / "missing"));
}

}  // namespace
