// The models a server or worker runs: the default set at start, the others
// loaded on first use, once, however many ask at once.
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>
#include <unistd.h>
#include <vector>

#include "analysis/analysis.h"
#include "core/error.h"
#include "model/calibrated_model.h"
#include "model/calibration_file.h"
#include "model/model_registry.h"
#include "service/model_set.h"
#include "test_paths.h"

namespace soundlens::service {
namespace {

using test::models_dir;

// Models other than the default are loaded on first use, once, however many ask at once.
TEST(ModelSetTest, OtherModelsAreLoadedOnceOnFirstUse) {
  ModelSet models("mn04_as", {models_dir()});
  EXPECT_FALSE(models.default_ready());
  try {
    (void)models.get("");
    FAIL() << "the default is not set yet";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::model_not_loaded);
  }
  EXPECT_FALSE(models.loaded("yamnet"));
  std::vector<std::shared_ptr<const Analyzer>> got(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < got.size(); ++i) threads.emplace_back([&, i] { got[i] = models.get("yamnet"); });
  for (auto& t : threads) t.join();
  for (const auto& a : got) {
    ASSERT_TRUE(a);
    EXPECT_EQ(a.get(), got[0].get());  // one analyzer, loaded once
  }
  EXPECT_EQ(got[0]->model().info().name, "yamnet");
  EXPECT_TRUE(models.loaded("yamnet"));
  EXPECT_FALSE(models.default_ready());  // loading another model does not load the default
  for (const std::string name : {"nope", "cnn14"}) {
    try {
      (void)models.get(name);
      FAIL() << name;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::bad_request);
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }
  }
}

// `fused` is its two parts, each loaded as itself (the default's analyzer reused); get gives the first.
TEST(ModelSetTest, TheFusedModelLoadsBothPartsAndGivesTheFirst) {
  ModelSet models("mn04_as", {models_dir()});
  EXPECT_NO_THROW(models.check_known("fused"));
  try {
    (void)models.get("fused");
    FAIL() << "its first part is the default, still loading";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::model_not_loaded);
    EXPECT_NE(std::string(e.what()).find("fused"), std::string::npos) << e.what();
  }
  const auto mn04 = std::make_shared<const Analyzer>(load_model("mn04_as", {models_dir()}), load_labels({models_dir()}));
  models.set_default(mn04);
  EXPECT_FALSE(models.loaded("fused"));
  EXPECT_EQ(models.second_part("mn04_as"), nullptr);
  EXPECT_EQ(models.second_part(""), nullptr);
  const auto first = models.get("fused");
  const auto second = models.second_part("fused");
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first.get(), mn04.get());  // the default's own analyzer
  EXPECT_EQ(second->model().info().name, "yamnet");
  EXPECT_EQ(second.get(), models.get("yamnet").get());  // one yamnet, whoever asks
  EXPECT_TRUE(models.loaded("fused"));
  try {
    (void)models.check_known("fused2");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("fused"), std::string::npos) << e.what();  // listed among the known
  }
}

// A model folder with mn04_as but without yamnet: the fused model fails naming the missing part's file.
TEST(ModelSetTest, AFusedModelWithAPartMissingNamesIt) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("soundlens-fused-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "efficientat");
  fs::create_symlink(fs::path(models_dir()) / "efficientat" / "mn04_as_mAP_432.pt", dir / "efficientat" / "mn04_as_mAP_432.pt");
  fs::create_directory_symlink(fs::path(models_dir()) / "labels", dir / "labels");
  ModelSet models("mn04_as", {dir.string()});
  models.set_default(std::make_shared<const Analyzer>(load_model("mn04_as", {dir.string()}), load_labels({dir.string()})));
  for (int attempt = 0; attempt < 2; ++attempt) {  // asked again: still missing, still named
    try {
      (void)models.get("fused");
      FAIL();
    } catch (const Error& e) {
      const std::string m = e.what();
      EXPECT_EQ(e.code(), ErrorCode::bad_request) << m;
      EXPECT_NE(m.find("fused"), std::string::npos) << m;
      EXPECT_NE(m.find("yamnet/yamnet.tflite"), std::string::npos) << m;
      EXPECT_EQ(m.find(dir.string()), std::string::npos) << m;  // never a server path
    }
    EXPECT_THROW((void)models.second_part("fused"), Error);
  }
  EXPECT_FALSE(models.loaded("fused"));
  fs::remove_all(dir);
}

// A calibrated default (serve --calibration) is what get gives; the fused model takes the plain network under it.
TEST(ModelSetTest, ACalibratedDefaultIsUsedCalibratedAndTheFusedModelTakesItPlain) {
  const std::vector<std::string> path{models_dir()};
  const auto plain = load_model("mn04_as", path);
  const auto calibrated = make_calibrated_model(plain, {{47, 2.0, -1.0}}, "", {{"file", "w.json"}, {"classes", {"Cough"}}});
  ModelSet models("mn04_as", path);
  models.set_default(std::make_shared<const Analyzer>(calibrated, load_labels(path)));
  EXPECT_EQ(&models.get("")->model(), calibrated.get());
  EXPECT_EQ(&models.get("mn04_as")->model(), calibrated.get());
  ASSERT_NE(calibration_summary_of(models.get("")->model()), nullptr);
  const auto fused_first = models.get("fused");
  EXPECT_EQ(&fused_first->model(), plain.get()) << "the fused model's first part is the network under the calibration";
  EXPECT_EQ(calibration_summary_of(fused_first->model()), nullptr);
  EXPECT_EQ(models.second_part("fused")->model().info().name, "yamnet");
}

// A stored analysis is recomputed as it was made: a calibrated one with its own calibration, on a server
// started with it, with another or without any; a plain one plain, even on a calibrated server; one stored
// before analyses carried their parameters, on a server without that calibration, is refused naming it.
TEST(ModelSetTest, AStoredAnalysisIsRecomputedWithTheCalibrationItWasMadeWith) {
  const std::vector<std::string> path{models_dir()};
  const auto plain = load_model("mn04_as", path);
  const auto labels = load_labels(path);
  CalibrationFile file;
  file.model = "mn04_as";
  file.weights_sha256 = plain->info().weights_sha256;
  file.classes = {{47, 2.0, -1.0}};
  file.labels = {labels->name(47)};
  file.fitted_on = {{"folder", "ward"}};
  const auto summary = calibration_summary(file, "/somewhere/ward.json");
  ASSERT_TRUE(summary.contains("parameters"));
  EXPECT_EQ(summary["file"], "ward.json");

  ModelSet uncalibrated("mn04_as", path);
  uncalibrated.set_default(std::make_shared<const Analyzer>(plain, labels));
  EXPECT_TRUE(uncalibrated.calibration("mn04_as").is_null());
  EXPECT_TRUE(uncalibrated.calibration("fused").is_null());
  EXPECT_EQ(&uncalibrated.as_stored("mn04_as", nullptr)->model(), plain.get());
  const auto restored = uncalibrated.as_stored("mn04_as", summary);
  ASSERT_NE(calibration_summary_of(restored->model()), nullptr);
  EXPECT_EQ(*calibration_summary_of(restored->model()), summary);
  EXPECT_EQ(uncalibrated.as_stored("mn04_as", summary), restored) << "made once";
  // Its logits are the calibrated ones: 2 x logit - 1 for class 47, the others as they were.
  MelSpectrogram mel;
  mel.n_mels = 128;
  mel.n_frames = 100;
  mel.seconds_per_frame = 0.01;
  mel.values.assign(128 * 100, 0.1f);
  for (std::size_t i = 0; i < mel.values.size(); ++i) mel.values[i] = float(i % 7) * 0.3f - 0.9f;
  const auto a = plain->forward({&mel, 1}), b = restored->model().forward({&mel, 1});
  EXPECT_NEAR(b->logits(0)[47], 2 * a->logits(0)[47] - 1, 1e-4);
  EXPECT_NEAR(b->logits(0)[0], a->logits(0)[0], 1e-5);

  // On a server calibrated with it: the server's own; a plain analysis gets the plain network.
  ModelSet calibrated("mn04_as", path);
  calibrated.set_default(std::make_shared<const Analyzer>(::soundlens::calibrated(plain, file, "/somewhere/ward.json", labels.get()), labels));
  EXPECT_EQ(calibrated.calibration("mn04_as"), summary);
  EXPECT_EQ(calibrated.calibration(""), summary);
  EXPECT_TRUE(calibrated.calibration("yamnet").is_null());
  EXPECT_EQ(calibrated.as_stored("mn04_as", summary), calibrated.get("mn04_as"));
  EXPECT_EQ(&calibrated.as_stored("mn04_as", nullptr)->model(), plain.get());

  // Stored before summaries had parameters, on a server without that file: refused, naming it.
  auto legacy = summary;
  legacy.erase("parameters");
  try {
    (void)uncalibrated.as_stored("mn04_as", legacy);
    ADD_FAILURE() << "an analysis without its calibration's parameters was recomputed uncalibrated";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::model_not_loaded);
    EXPECT_NE(std::string(e.what()).find("--calibration ward.json"), std::string::npos) << e.what();
  }
  // Damaged or for other weights: refused, never applied.
  auto other = summary;
  other["weights_sha256"] = std::string(64, '0');
  EXPECT_THROW((void)uncalibrated.as_stored("mn04_as", other), Error);
  auto moved = summary;
  moved["parameters"][0]["index"] = 0;  // class 0 is Speech, not the label it names
  EXPECT_THROW((void)uncalibrated.as_stored("mn04_as", moved), Error);
  auto broken = summary;
  broken["parameters"][0]["a"] = "x";
  EXPECT_THROW((void)uncalibrated.as_stored("mn04_as", broken), Error);
}

}  // namespace
}  // namespace soundlens::service
