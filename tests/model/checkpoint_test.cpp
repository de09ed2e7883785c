// Model lookup and loading: clear messages, width read off the checkpoint.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "model/model_registry.h"
#include "reference_runner.h"
#include "test_paths.h"

namespace soundlens::test {
namespace {

TEST(ModelRegistry, LoadsTheDefaultModelFromSharedModels) {
  const auto model = load_model("mn04_as", {models_dir()});
  EXPECT_EQ(model->info().num_classes, 527);
  EXPECT_NE(model->info().architecture.find("width 0.4"), std::string::npos) << model->info().architecture;
  EXPECT_EQ(model->frontend().n_mels(), 128);
}

TEST(ModelRegistry, MissingModelNamesFileAndPlaces) {
  const auto dir = temp_dir("missing-model");
  try {
    load_model("cnn14", {dir});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::model_not_loaded);
    const std::string m = e.what();
    EXPECT_NE(m.find("Cnn14_mAP=0.431.pth"), std::string::npos) << m;
    EXPECT_NE(m.find(dir), std::string::npos) << m;
    EXPECT_NE(m.find("zenodo"), std::string::npos) << m;
  }
  const auto a = find_model("mn04_as", model_search_path("/nonexistent-flag-dir"));
  EXPECT_EQ(a.looked_in.front().rfind("/nonexistent-flag-dir", 0), 0u);
}

TEST(ModelRegistry, UnknownModelIsABadRequest) {
  try {
    load_model("resnet9000", {models_dir()});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::bad_request);
  }
}

TEST(Checkpoint, CorruptFileGivesAClearError) {
  const auto dir = temp_dir("corrupt-model");
  std::filesystem::create_directories(dir + "/efficientat");
  std::ofstream(dir + "/efficientat/mn04_as_mAP_432.pt") << "this is not a zip file";
  try {
    load_model("mn04_as", {dir});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::model_not_loaded);
    EXPECT_NE(std::string(e.what()).find("mn04_as_mAP_432.pt"), std::string::npos) << e.what();
  }
}

TEST(Labels, AllClassesInOrder) {
  const auto labels = load_labels({models_dir()});
  ASSERT_EQ(labels->size(), 527);
  EXPECT_EQ(labels->name(0), "Speech");
  EXPECT_EQ(labels->name(47), "Cough");
  EXPECT_EQ(labels->find("cough"), 47);
  EXPECT_EQ(labels->find("47"), 47);
  EXPECT_EQ(labels->find("Railroad car, train wagon").has_value(), true);
  EXPECT_FALSE(labels->find("527").has_value());
  EXPECT_FALSE(labels->find("no such class").has_value());
}

}  // namespace
}  // namespace soundlens::test
