// The model-parameter randomisation test (Adebayo et al. 2018) with Grad-CAM
// on real audio, and the trained model left untouched by it.
#include "explain/sanity.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include <cstdlib>
#include <filesystem>

#include "core/error.h"
#include "model/model_registry.h"
#include "model/randomised_copy.h"
#include "test_paths.h"
#include "trust_support.h"

namespace soundlens::test {
namespace {

constexpr int kCough = 47;
constexpr int kTenSeconds = 1001;

std::vector<float> logits(const Model& model, const MelSpectrogram& spec) {
  const std::vector<MelSpectrogram> windows{spec};
  const auto pass = model.forward(windows);
  const auto l = pass->logits(0);
  return {l.begin(), l.end()};
}

TEST(Spearman, KnownValues) {
  const std::vector<float> a = {1, 2, 2, 3}, b = {1, 3, 2, 4}, reversed = {4, 2, 3, 1}, flat = {5, 5, 5, 5};
  // Ranks with ties: a = 1, 2.5, 2.5, 4; b = 1, 3, 2, 4: 4.5 / sqrt(4.5 * 5).
  EXPECT_NEAR(spearman(a, b), 4.5 / std::sqrt(22.5), 1e-12);
  EXPECT_DOUBLE_EQ(spearman(b, b), 1.0);
  EXPECT_DOUBLE_EQ(spearman(b, reversed), -1.0);
  EXPECT_EQ(spearman(a, flat), 0.0);
  const std::vector<float> shorter = {1, 2};
  EXPECT_THROW(spearman(a, shorter), Error);
}

TEST(RandomisedCopy, CascadeNamesAndDeterminism) {
  const auto& model = *mn04();
  const auto cascade = randomisation_cascade(model);
  ASSERT_EQ(cascade.size(), 18u);
  EXPECT_EQ(cascade[0], "classifier");
  EXPECT_EQ(cascade[1], "features.16");
  EXPECT_EQ(cascade[2], "features.15");
  EXPECT_EQ(cascade.back(), "features.0");
  const auto spec = model.frontend().compute(cough_clip().samples);
  const auto trained = logits(model, spec);
  // No step: the same network as the trained one, bit for bit.
  EXPECT_EQ(logits(*randomised_copy(model, 0, 1), spec), trained);
  const auto once = logits(*randomised_copy(model, 1, 7), spec);
  EXPECT_NE(once, trained);
  EXPECT_EQ(logits(*randomised_copy(model, 1, 7), spec), once);  // seeded
  EXPECT_NE(logits(*randomised_copy(model, 1, 8), spec), once);
  EXPECT_THROW(randomised_copy(model, 19, 1), Error);
  EXPECT_THROW(randomised_copy(model, -1, 1), Error);
}

// YAMNet's weights come from its TFLite file: the copy is made from the loaded model's tensors.
TEST(RandomisedCopy, YamnetCascadeNamesAndDeterminism) {
  const auto model = load_model("yamnet", {models_dir()});
  const auto cascade = randomisation_cascade(*model);
  ASSERT_EQ(cascade.size(), 15u);
  EXPECT_EQ(cascade[0], "classifier");
  EXPECT_EQ(cascade[1], "layer14");
  EXPECT_EQ(cascade.back(), "layer1");
  const auto cough = cough_clip();  // one patch of it: 0.975 s
  const auto spec = model->frontend().compute(std::span<const float>(cough.samples).first(31200));
  // The six classes YAMNet lacks read NaN, which equals nothing: compare the others.
  auto logits = [&spec](const Model& m, const MelSpectrogram&) {
    auto v = soundlens::test::logits(m, spec);
    std::erase_if(v, [](float x) { return std::isnan(x); });
    return v;
  };
  const auto trained = logits(*model, spec);
  EXPECT_EQ(logits(*randomised_copy(*model, 0, 1), spec), trained);
  const auto once = logits(*randomised_copy(*model, 1, 7), spec);
  EXPECT_NE(once, trained);
  EXPECT_EQ(logits(*randomised_copy(*model, 1, 7), spec), once);  // seeded
  EXPECT_NE(logits(*randomised_copy(*model, 1, 8), spec), once);
  const auto all = logits(*randomised_copy(*model, 15, 7), spec);
  EXPECT_NE(all, once);
  ASSERT_EQ(all.size(), 521u);
  for (float l : all) EXPECT_TRUE(std::isfinite(l));
  EXPECT_EQ(logits(*model, spec), trained);  // the trained model is untouched
  EXPECT_THROW(randomised_copy(*model, 16, 1), Error);
  EXPECT_THROW(randomised_copy(*model, -1, 1), Error);
}

TEST(RandomisedCopy, Cnn14CascadeOnRandomWeights) {
  if (!have_reference_python()) GTEST_SKIP() << "no /usr/bin/python3 with torch to write CNN14 weights";
  const auto dir = std::filesystem::temp_directory_path() / ("soundlens-sanity-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "panns");
  const auto path = (dir / "panns" / "Cnn14_mAP=0.431.pth").string();
  const auto cmd = "/usr/bin/python3 " + source_dir() + "/tools/reference/model_reference.py make-cnn14 '" + path +
                   "' --seed 3";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  const auto model = load_model("cnn14", {dir.string()});
  const auto cascade = randomisation_cascade(*model);
  const std::vector<std::string> expected = {"fc_audioset", "fc1", "conv_block6", "conv_block5",
                                             "conv_block4", "conv_block3", "conv_block2", "conv_block1"};
  EXPECT_EQ(cascade, expected);
  const auto spec = model->frontend().compute(cough_clip().samples);
  const auto trained = logits(*model, spec);
  const auto copy = randomised_copy(*model, 3, 1);
  EXPECT_NE(logits(*copy, spec), trained);
  EXPECT_EQ(logits(*model, spec), trained);
  std::filesystem::remove_all(dir);
}

TEST(Sanity, GradCamCorrelationFallsAndTheTrainedModelIsUntouched) {
  const auto& model = *mn04();
  const auto spec = model.frontend().compute(cough_in_background(2.0, 10.0).samples);
  const auto before = logits(model, spec);
  auto gradcam = [&](const Model& m) { return grad_cam_map(m, spec, kTenSeconds, 500, kCough); };
  const auto check = sanity_check(model, gradcam, 5);
  ASSERT_EQ(check.steps.size(), 5u);
  EXPECT_EQ(check.steps[0].randomised, "classifier");
  EXPECT_EQ(check.steps[4].randomised, "features.13");
  for (const auto& s : check.steps) std::printf("randomised %-12s spearman %.3f\n", s.randomised.c_str(), s.spearman);
  EXPECT_TRUE(check.passed);
  EXPECT_LT(check.steps.back().spearman, 0.5);
  // The check only read the trained model: its logits are bit-identical.
  const auto after = logits(model, spec);
  ASSERT_EQ(after.size(), before.size());
  EXPECT_EQ(std::memcmp(after.data(), before.data(), before.size() * sizeof(float)), 0);
}

TEST(Sanity, AMapThatIgnoresTheModelFails) {
  // An "explanation" that is the input's energy per cell does not depend on
  // the weights: the randomisation test must catch it.
  const auto& model = *mn04();
  const auto spec = model.frontend().compute(cough_in_background(2.0, 10.0).samples);
  auto energy = [&](const Model& m) {
    auto map = grad_cam_map(m, spec, kTenSeconds, 500, kCough);
    for (int r = 0; r < map.rows; ++r)
      for (int c = 0; c < map.cols; ++c) {
        double sum = 0;
        for (int mel = r * 32; mel < (r + 1) * 32; ++mel)
          for (int f = c * 32; f < std::min((c + 1) * 32, spec.n_frames); ++f) sum += spec.at(mel, f);
        map.values[std::size_t(r) * map.cols + c] = float(sum);
      }
    return map;
  };
  const auto check = sanity_check(model, energy, 2);
  for (const auto& s : check.steps) EXPECT_DOUBLE_EQ(s.spearman, 1.0);
  EXPECT_FALSE(check.passed);
}

}  // namespace
}  // namespace soundlens::test
