// `soundlens train` as a user runs it: the report, the cache on a second run,
// --force, the model used by `analyze --model DIR`, and bad folders refused or
// listed with the reason.
#include <gtest/gtest.h>

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

class TrainCli : public ::testing::Test {
 protected:
  fs::path root = fs::temp_directory_path() / ("soundlens-train-cli-" + std::to_string(::getpid()) + "-" +
                                               ::testing::UnitTest::GetInstance()->current_test_info()->name());
  void SetUp() override {
    fs::remove_all(root);
    for (const std::string c : {"cough", "laughter"})
      for (int i = 1; i <= 4; ++i) {
        fs::create_directories(root / "data" / c);
        const std::string name = c + "_0" + std::to_string(i) + ".flac";
        fs::copy_file(shared_audio("events-dev/clips/" + c + "/" + name), root / "data" / c / name);
      }
  }
  void TearDown() override { fs::remove_all(root); }
  CommandResult train(const std::string& args) {
    return run_command(q(soundlens_binary()) + " train " + q(root / "data") + " --model-dir " + q(models_dir()) +
                       " --cache-dir " + q(root / "cache") + " --folds 2 --head logistic " + args + " 2>&1");
  }
};

TEST_F(TrainCli, TrainsReportsAndTheModelAnalyses) {
  auto r = train("--out " + q(root / "laughs"));
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("macro F1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Expected calibration error"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Written: "), std::string::npos) << r.out;
  EXPECT_TRUE(fs::exists(root / "laughs" / "soundlens-model.json"));

  r = train("--out " + q(root / "laughs"));
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("--force"), std::string::npos) << r.out;

  r = train("--out " + q(root / "laughs") + " --force --json");
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out.substr(r.out.find("{\n")));
  EXPECT_EQ(j["files"], 8);
  EXPECT_EQ(j["cached"], 8);
  EXPECT_EQ(j["labels"], (nlohmann::json{"cough", "laughter"}));

  r = run_command(q(soundlens_binary()) + " analyze " + q(shared_audio("events-dev/clips/laughter/laughter_09.flac")) +
                  " --model " + q(root / "laughs") + " --model-dir " + q(models_dir()) + " --json 2>&1");
  ASSERT_EQ(r.status, 0) << r.out;
  const auto a = nlohmann::json::parse(r.out);
  EXPECT_EQ(a["predictions"][0]["label"], "laughter") << a["predictions"].dump();

  {
    std::fstream head(root / "laughs" / "head.bin", std::ios::in | std::ios::out | std::ios::binary);
    head.seekp(40);
    head.put('\x55');
  }
  r = run_command(q(soundlens_binary()) + " analyze " + q(shared_audio("events-dev/clips/laughter/laughter_09.flac")) +
                  " --model " + q(root / "laughs") + " --model-dir " + q(models_dir()) + " 2>&1");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.out.find("does not match the SHA-256"), std::string::npos) << r.out;
}

TEST_F(TrainCli, FilesThatCannotBeUsedAreListedAndTooFewLeftIsAnError) {
  std::ofstream(root / "data" / "cough" / "notes.txt") << "not audio";
  auto r = train("--out " + q(root / "m"));
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("Skipped: cough/notes.txt"), std::string::npos) << r.out;
  for (int i = 2; i <= 4; ++i) fs::remove(root / "data" / "laughter" / ("laughter_0" + std::to_string(i) + ".flac"));
  r = train("--out " + q(root / "m2"));
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("the label 'laughter' has 1 usable file(s)"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(root / "m2"));
}

TEST_F(TrainCli, BadFoldersAndOptionsSayWhatIsWrong) {
  fs::remove_all(root / "data" / "laughter");
  auto r = train("--out " + q(root / "m"));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("one label, 'cough'"), std::string::npos) << r.out;
  r = run_command(q(soundlens_binary()) + " train " + q(root / "nowhere") + " --out " + q(root / "m") + " 2>&1");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("is not a folder of labelled recordings"), std::string::npos) << r.out;
  r = train("--out " + q(root / "m") + " --base fused");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("--base"), std::string::npos) << r.out;
  r = train("--out " + q(root / "m") + " --folds 1");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("--folds"), std::string::npos) << r.out;
}

}  // namespace
