// The C++ networks and Grad-CAM against the independent PyTorch reference
// (tools/reference), on the same 32 kHz input: probabilities to 1e-4.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "explain/grad_cam.h"
#include "model/model_registry.h"
#include "reference_runner.h"
#include "test_paths.h"

namespace soundlens::test {
namespace {

// Tones, a chirp and seeded noise bursts: enough structure for non-trivial logits and maps.
std::vector<float> test_wave(double seconds) {
  const int n = int(seconds * 32000);
  std::vector<float> x(n);
  uint32_t state = 12345;
  for (int i = 0; i < n; ++i) {
    const double t = i / 32000.0;
    state = state * 1664525u + 1013904223u;
    const double noise = (double(state >> 8) / double(1u << 24) - 0.5) * 0.2;
    const double burst = std::fmod(t, 1.0) < 0.15 ? 1.0 : 0.05;
    x[i] = float(0.2 * std::sin(2 * M_PI * 440 * t) + 0.1 * std::sin(2 * M_PI * (300 + 800 * t) * t) + burst * noise);
  }
  return x;
}

float sigmoid(float v) { return 1.0f / (1.0f + std::exp(-v)); }

struct CppOutput {
  std::vector<float> logits;
  int frames = 0;
  std::vector<CamGrid> cams;  // normalised by their maxima
};

CppOutput run_cpp(const Model& model, const std::vector<float>& wave, const std::vector<int>& classes) {
  std::vector<MelSpectrogram> mels{model.frontend().compute(wave)};
  auto pass = model.forward(mels);
  CppOutput out;
  out.frames = mels[0].n_frames;
  auto logits = pass->logits(0);
  out.logits.assign(logits.begin(), logits.end());
  for (auto& per_window : grad_cam(*pass, classes)) {
    auto grid = per_window.at(0);
    float peak = 0;
    for (float v : grid.values) peak = std::max(peak, v);
    if (peak > 0)
      for (float& v : grid.values) v /= peak;
    out.cams.push_back(grid);
  }
  return out;
}

void expect_matches(const CppOutput& cpp, const ReferenceOutput& ref, double cam_tolerance) {
  ASSERT_EQ(cpp.frames, ref.frames);
  ASSERT_EQ(cpp.logits.size(), ref.logits.size());
  double worst = 0;
  for (size_t c = 0; c < ref.logits.size(); ++c)
    worst = std::max(worst, double(std::abs(sigmoid(cpp.logits[c]) - sigmoid(ref.logits[c]))));
  EXPECT_LT(worst, 1e-4) << "largest probability difference";
  ASSERT_EQ(cpp.cams.size(), ref.cams.size());
  for (size_t k = 0; k < ref.cams.size(); ++k) {
    const auto& r = ref.cams[k];
    const auto& g = cpp.cams[k];
    ASSERT_EQ(g.rows, int(r.size()));
    ASSERT_EQ(g.cols, int(r[0].size()));
    for (int row = 0; row < g.rows; ++row)
      for (int col = 0; col < g.cols; ++col)
        ASSERT_NEAR(g.values[size_t(row) * g.cols + col], r[row][col], cam_tolerance)
            << "class " << ref.classes[k] << " cell " << row << "," << col;
  }
}

std::vector<int> top_of(const std::vector<float>& logits, int k) {
  std::vector<int> order(logits.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = int(i);
  std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](int a, int b) { return logits[a] > logits[b]; });
  order.resize(k);
  return order;
}

TEST(EfficientAtParity, MatchesStoredReference) {
  const auto model = load_model("mn04_as", {models_dir()});
  const auto wave = test_wave(5.0);
  const auto ref_path = fixture("model/mn04_as_reference.json");
  if (std::getenv("SOUNDLENS_UPDATE_FIXTURES") != nullptr && have_reference_python()) {
    const auto dir = temp_dir("fixture");
    write_f32(dir + "/wave.f32", wave);
    const auto tmp = run_reference("efficientat", models_dir() + "/efficientat/mn04_as_mAP_432.pt", dir + "/wave.f32",
                                   {}, dir + "/probe.json");
    auto classes = top_of(read_reference(tmp).logits, 3);
    classes.push_back(47);  // Cough: a class the input does not contain
    run_reference("efficientat", models_dir() + "/efficientat/mn04_as_mAP_432.pt", dir + "/wave.f32", classes, ref_path);
  }
  const auto ref = read_reference(ref_path);
  expect_matches(run_cpp(*model, wave, ref.classes), ref, 1e-3);
}

TEST(EfficientAtParity, MatchesFreshReference) {
  if (!have_reference_python()) GTEST_SKIP() << "/usr/bin/python3 with torch is not installed";
  const auto model = load_model("mn04_as", {models_dir()});
  const auto dir = temp_dir("eat-parity");
  for (double seconds : {0.1, 2.7, 10.0}) {
    const auto wave = test_wave(seconds);
    write_f32(dir + "/wave.f32", wave);
    const std::vector<int> classes{0, 137, 300};
    const auto ref = read_reference(run_reference("efficientat", models_dir() + "/efficientat/mn04_as_mAP_432.pt",
                                                  dir + "/wave.f32", classes, dir + "/ref.json"));
    SCOPED_TRACE("seconds " + std::to_string(seconds));
    expect_matches(run_cpp(*model, wave, classes), ref, 1e-3);
  }
  std::filesystem::remove_all(dir);
}

TEST(Cnn14Parity, RandomWeightsInOfficialLayout) {
  if (!have_reference_python()) GTEST_SKIP() << "/usr/bin/python3 with torch is not installed";
  const auto dir = temp_dir("cnn14-parity");
  // The official file name, in a model directory of its own.
  make_random_cnn14(dir + "/Cnn14_mAP=0.431.pth", 7);
  const auto model = load_model("cnn14", {dir});
  EXPECT_EQ(model->info().num_classes, 527);
  for (double seconds : {1.0, 10.0}) {
    const auto wave = test_wave(seconds);
    write_f32(dir + "/wave.f32", wave);
    const std::vector<int> classes{0, 5, 500};
    const auto ref = read_reference(
        run_reference("cnn14", dir + "/Cnn14_mAP=0.431.pth", dir + "/wave.f32", classes, dir + "/ref.json"));
    SCOPED_TRACE("seconds " + std::to_string(seconds));
    expect_matches(run_cpp(*model, wave, classes), ref, 1e-3);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace soundlens::test
