#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "model/trained_model_files.h"

namespace soundlens {
namespace {
namespace fs = std::filesystem;

TrainedModelFiles small_model() {
  TrainedModelFiles m;
  m.name = "coughs";
  m.base_model = "mn04_as";
  m.base_sha256 = std::string(64, 'b');
  m.labels = {"cough", "sneeze, wet"};
  m.head.mean = {0.5f, -1};
  m.head.scale = {2, 0.25f};
  m.head.layers = {{2, 3, {1, 2, 3, 4, 5, 6}, {0.1f, 0.2f, 0.3f}}};
  m.head.negative_class = true;
  m.head.temperature = 1.7;
  m.metrics = {{"macro_f1", 0.9}};
  return m;
}

class TrainedModelFilesTest : public ::testing::Test {
 protected:
  fs::path dir = fs::temp_directory_path() / ("trained_files_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
  void SetUp() override { fs::remove_all(dir); }
  void TearDown() override { fs::remove_all(dir); }
  std::string load_error() {
    try {
      read_trained_model(dir.string());
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::model_not_loaded);
      return e.what();
    }
    ADD_FAILURE() << "it loaded";
    return "";
  }
};

TEST_F(TrainedModelFilesTest, WrittenAndReadBackTheSame) {
  write_trained_model(dir.string(), small_model(), false);
  const auto m = read_trained_model(dir.string());
  EXPECT_EQ(m.name, "coughs");
  EXPECT_EQ(m.labels, small_model().labels);
  EXPECT_EQ(m.head.layers[0].weight, small_model().head.layers[0].weight);
  EXPECT_EQ(m.head.scale, small_model().head.scale);
  EXPECT_DOUBLE_EQ(m.head.temperature, 1.7);
  EXPECT_TRUE(m.head.negative_class);
  std::ifstream labels(dir / "labels.csv");
  std::string all((std::istreambuf_iterator<char>(labels)), {});
  EXPECT_EQ(all, "index,label\n0,cough\n1,\"sneeze, wet\"\n");
}

TEST_F(TrainedModelFilesTest, ANonEmptyDirectoryIsReplacedOnlyWhenAsked) {
  write_trained_model(dir.string(), small_model(), false);
  try {
    write_trained_model(dir.string(), small_model(), false);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("--force"), std::string::npos);
  }
  EXPECT_NO_THROW(write_trained_model(dir.string(), small_model(), true));
}

TEST_F(TrainedModelFilesTest, AChangedHeadIsRefused) {
  write_trained_model(dir.string(), small_model(), false);
  {
    std::fstream head(dir / "head.bin", std::ios::in | std::ios::out | std::ios::binary);
    head.seekp(5);
    head.put('\x7f');
  }
  EXPECT_NE(load_error().find("does not match the SHA-256"), std::string::npos);
}

TEST_F(TrainedModelFilesTest, AManifestThatLiesIsRefused) {
  write_trained_model(dir.string(), small_model(), false);
  auto edit = [&](const std::function<void(nlohmann::json&)>& change) {
    nlohmann::json j = nlohmann::json::parse(std::ifstream(dir / kTrainedModelManifest));
    change(j);
    std::ofstream(dir / kTrainedModelManifest) << j.dump();
  };
  edit([](nlohmann::json& j) { j["labels"].push_back("extra"); });
  EXPECT_NE(load_error().find("labels for a head of 2 classes"), std::string::npos);
  edit([](nlohmann::json& j) { j["labels"].erase(2); j["head"]["layers"][0]["outputs"] = 1 << 20; });
  EXPECT_NE(load_error().find("impossible size"), std::string::npos);
  edit([](nlohmann::json& j) { j["head"]["layers"][0]["outputs"] = 4; });
  EXPECT_NE(load_error().find("bytes; its layers need"), std::string::npos);
  edit([](nlohmann::json& j) { j["head"]["layers"][0]["outputs"] = 3; j["head"]["file"] = "../../etc/passwd"; });
  EXPECT_NE(load_error().find("the head must be head.bin"), std::string::npos);
  edit([](nlohmann::json& j) { j["head"]["file"] = "head.bin"; j["head"]["temperature"] = -1; });
  EXPECT_NE(load_error().find("temperature"), std::string::npos);
  edit([](nlohmann::json& j) { j["head"]["temperature"] = 1; j["labels"][0] = std::string(5000, 'x'); });
  EXPECT_NE(load_error().find("is not a label soundlens train writes"), std::string::npos);
  edit([](nlohmann::json& j) { j["labels"][0] = "bad\nlabel"; });
  EXPECT_NE(load_error().find("is not a label soundlens train writes"), std::string::npos);
  edit([](nlohmann::json& j) { j["labels"][0] = ""; });
  EXPECT_NE(load_error().find("is not a label soundlens train writes"), std::string::npos);
  edit([](nlohmann::json& j) { j["version"] = "one"; });
  EXPECT_NE(load_error().find("is not what soundlens wrote"), std::string::npos);
  std::ofstream(dir / kTrainedModelManifest) << "{ not json";
  EXPECT_NE(load_error().find("is not what soundlens wrote"), std::string::npos);
  fs::remove(dir / kTrainedModelManifest);
  EXPECT_NE(load_error().find("has no soundlens-model.json"), std::string::npos);
}

TEST_F(TrainedModelFilesTest, EventThresholdsAreATableWhoseChangesAreRefused) {
  auto m = small_model();
  m.event_thresholds = {{0, 0.45, 0.225, 0.9}, {1, 0.6, 0.3, 0.75}};
  m.event_thresholds_fitted_on = "Fitted on the held-out folds of a 2-fold cross-validation by file (8 files).";
  write_trained_model(dir.string(), m, false);
  std::ifstream csv(dir / "thresholds.csv");
  const std::string all((std::istreambuf_iterator<char>(csv)), {});
  EXPECT_NE(all.find("index,label,threshold,low,train_f1\n0,cough,0.45,0.225,0.900\n1,\"sneeze, wet\",0.60,0.300,0.750\n"),
            std::string::npos) << all;
  EXPECT_NE(all.find("# Fitted on the held-out folds"), std::string::npos) << all;
  const auto back = read_trained_model(dir.string());
  ASSERT_EQ(back.event_thresholds.size(), 2u);
  EXPECT_DOUBLE_EQ(back.event_thresholds[1].threshold, 0.6);
  EXPECT_DOUBLE_EQ(back.event_thresholds[1].low, 0.3);
  EXPECT_EQ(back.event_thresholds[1].index, 1);

  std::ofstream(dir / "thresholds.csv", std::ios::app) << "# a comment added\n";
  EXPECT_NE(load_error().find("thresholds.csv does not match the SHA-256"), std::string::npos);
  fs::remove(dir / "thresholds.csv");
  EXPECT_NE(load_error().find("its event thresholds"), std::string::npos);
  EXPECT_NE(load_error().find("are missing"), std::string::npos);

  // Replaced (--force) by a model without them: none are left behind.
  write_trained_model(dir.string(), m, true);
  write_trained_model(dir.string(), small_model(), true);
  EXPECT_FALSE(fs::exists(dir / "thresholds.csv"));
  EXPECT_TRUE(read_trained_model(dir.string()).event_thresholds.empty());
}

TEST_F(TrainedModelFilesTest, FoundByPathOrByNameInAModelFolder) {
  write_trained_model((dir / "coughs").string(), small_model(), false);
  EXPECT_EQ(find_trained_model((dir / "coughs").string(), {}), (dir / "coughs").string());
  EXPECT_EQ(find_trained_model("coughs", {dir.string()}), (dir / "coughs").string());
  EXPECT_FALSE(find_trained_model("coughs", {}));
  EXPECT_FALSE(find_trained_model("mn04_as", {dir.string()}));
  EXPECT_FALSE(find_trained_model((dir / "nothing").string(), {}));
}

}  // namespace
}  // namespace soundlens
