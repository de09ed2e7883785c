// `soundlens calibrate` and `analyze --calibration` as a user runs them: the
// calibrated probability is sigmoid(a * logit + b) of the plain one, and files
// for another model, damaged files and unknown labels are refused by name.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "command_output.h"
#include "test_paths.h"

namespace {
namespace fs = std::filesystem;
using namespace soundlens::test;

std::string q(const fs::path& p) { return "'" + p.string() + "'"; }

class CalibrateCli : public ::testing::Test {
 protected:
  fs::path root = fs::temp_directory_path() / ("soundlens-calibrate-cli-" + std::to_string(::getpid()) + "-" +
                                               ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::string bin = q(soundlens_binary()), models = " --model-dir " + q(models_dir());
  void SetUp() override {
    fs::remove_all(root);
    auto add = [&](const std::string& label, const std::string& clip_class, const std::string& stem, int from, int to) {
      fs::create_directories(root / "data" / label);
      for (int i = from; i <= to; ++i) {
        char name[64];
        std::snprintf(name, sizeof name, "%s_%02d.flac", stem.c_str(), i);
        fs::create_symlink(shared_audio("events-dev/clips/" + clip_class + "/" + name), root / "data" / label / name);
      }
    };
    add("Laughter", "laughter", "laughter", 1, 6);
    add("Cough", "cough", "cough", 1, 6);
    add("none", "background_forest", "forest", 0, 4);
  }
  void TearDown() override { fs::remove_all(root); }
  nlohmann::json analyze(const std::string& extra) {
    const auto r = run_command(bin + " analyze " + q(shared_audio("events-dev/clips/laughter/laughter_10.flac")) + models +
                               " --json --all-probabilities " + extra + " 2>&1");
    EXPECT_EQ(r.status, 0) << r.out;
    return nlohmann::json::parse(r.out);
  }
};

TEST_F(CalibrateCli, TheCalibratedProbabilityIsThePlattOfThePlainOne) {
  auto r = run_command(bin + " calibrate " + q(root / "data") + models + " --out " + q(root / "c.json") + " 2>&1");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("Expected calibration error over these classes"), std::string::npos) << r.out;
  const auto file = nlohmann::json::parse(std::ifstream(root / "c.json"));
  ASSERT_EQ(file["classes"].size(), 2u);
  const auto plain = analyze(""), calibrated = analyze("--calibration " + q(root / "c.json"));
  EXPECT_EQ(calibrated["calibration"]["classes"], (nlohmann::json{"Cough", "Laughter"}));
  for (const auto& c : file["classes"]) {
    const int index = c["index"];
    const double p = plain["probabilities"][index], a = c["a"], b = c["b"];
    const double expected = 1 / (1 + std::exp(-(a * std::log(p / (1 - p)) + b)));
    EXPECT_NEAR(calibrated["probabilities"][index].get<double>(), expected, 2e-3) << c.dump();  // JSON keeps 4 decimals
  }
  EXPECT_EQ(calibrated["probabilities"][0], plain["probabilities"][0]);  // Speech: not calibrated, unchanged

  r = run_command(bin + " calibrate " + q(root / "data") + models + " --out " + q(root / "c.json") + " 2>&1");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("--force"), std::string::npos) << r.out;
}

TEST_F(CalibrateCli, FilesForOtherModelsDamagedFilesAndUnknownLabelsAreRefused) {
  auto r = run_command(bin + " calibrate " + q(root / "data") + models + " --model yamnet --out " + q(root / "y.json") + " 2>&1");
  ASSERT_EQ(r.status, 0) << r.out;
  r = run_command(bin + " analyze " + q(shared_audio("events-dev/clips/laughter/laughter_10.flac")) + models +
                  " --calibration " + q(root / "y.json") + " 2>&1");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.out.find("it was fitted for yamnet, not mn04_as"), std::string::npos) << r.out;
  std::ofstream(root / "bad.json") << "{\"format\": \"soundlens-calibration\", \"version\": 1, \"method\": \"platt\"}";
  r = run_command(bin + " analyze " + q(shared_audio("events-dev/clips/laughter/laughter_10.flac")) + models +
                  " --calibration " + q(root / "bad.json") + " 2>&1");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.out.find("is not what soundlens wrote"), std::string::npos) << r.out;
  fs::create_directories(root / "data" / "Not an AudioSet class");
  fs::create_symlink(shared_audio("events-dev/clips/knock/knock_01.flac"), root / "data" / "Not an AudioSet class" / "k.flac");
  r = run_command(bin + " calibrate " + q(root / "data") + models + " --out " + q(root / "n.json") + " 2>&1");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("'Not an AudioSet class' is not a class of mn04_as"), std::string::npos) << r.out;
}

}  // namespace
