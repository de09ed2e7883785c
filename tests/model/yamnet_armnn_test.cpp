// A second, independent runtime: Arm NN's reference CPU backend (Debian's
// python3-pyarmnn, TfLiteParser + CpuRef) executing YAMNet's network as
// TFLite operators (tools/reference/yamnet_armnn.py). Arm NN 22.0 cannot run
// yamnet.tflite whole: its parser stops at operator 0 (SHAPE; the front end
// also uses RFFT2D, COMPLEX_ABS and dynamic shapes), and CpuRef has no
// "hybrid" convolution (float input, int8 weights: "input and weights types
// mismatched"). So the script cuts the network out of the file (operators
// 74-103, original options and shapes, one [1, 96, 64, 1] patch) with the
// weights dequantised to float32, and Arm NN runs that: the same float
// network, so the tolerance is float32 round-off (measured ~3e-7).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "audio/audio.h"
#include "command_output.h"
#include "model/model_registry.h"
#include "reference_runner.h"
#include "test_paths.h"

namespace soundlens::test {
namespace {

bool have_pyarmnn() {
  static const bool have = std::system("/usr/bin/python3 -c 'import pyarmnn' >/dev/null 2>&1") == 0;
  return have;
}

TEST(YamnetArmnn, ArmNnCpuRefAgreesWithTheNetwork) {
  if (!have_pyarmnn()) GTEST_SKIP() << "no python3-pyarmnn";
  const auto model = load_model("yamnet", {models_dir()});
  const auto labels = load_labels({models_dir()});
  const auto yamnet_classes = Labels::load_csv(models_dir() + "/yamnet/yamnet_class_map.csv");
  const auto audio = decode_file(shared_audio("example/metro_station-paris.wav"));
  // Six patches spread over the clip (0.975 s windows).
  std::vector<MelSpectrogram> mels;
  std::vector<float> nhwc;
  for (std::size_t start : {0, 48000, 96000, 144000, 200000, 288000}) {
    std::vector<float> w(audio.samples.begin() + std::ptrdiff_t(start),
                         audio.samples.begin() + std::ptrdiff_t(start + 31200));
    mels.push_back(model->frontend().compute(w));
    for (int t = 0; t < 96; ++t)
      for (int m = 0; m < 64; ++m) nhwc.push_back(mels.back().at(m, t));
  }
  const auto pass = model->forward(mels);
  const auto dir = temp_dir("yamnet-armnn");
  write_f32(dir + "/patches.f32", nhwc);
  const std::string py = "/usr/bin/python3 " + source_dir() + "/tools/reference/yamnet_armnn.py ";
  const std::string tflite = "'" + models_dir() + "/yamnet/yamnet.tflite'";
  // stderr is kept: when the reference fails (no CpuRef backend, say), its reason is the message.
  const auto ran = run_command(py + "run " + tflite + " '" + dir + "/patches.f32' '" + dir + "/out.json' 2>&1");
  ASSERT_EQ(ran.status, 0) << "tools/reference/yamnet_armnn.py failed:\n" << ran.out;
  std::ifstream in(dir + "/out.json");
  const auto scores = nlohmann::json::parse(in)["scores"].get<std::vector<std::vector<double>>>();
  std::filesystem::remove_all(dir);
  ASSERT_EQ(scores.size(), mels.size());
  double worst = 0;
  for (int w = 0; w < pass->windows(); ++w) {
    const auto logits = pass->logits(w);
    for (const auto& y : yamnet_classes.all()) {
      for (const auto& l : labels->all())
        if (l.mid == y.mid) {
          const double p = 1 / (1 + std::exp(-double(logits[std::size_t(l.index)])));
          worst = std::max(worst, std::abs(p - scores[std::size_t(w)][std::size_t(y.index)]));
        }
    }
  }
  std::cout << "yamnet vs Arm NN CpuRef (float network, 6 patches): max probability difference " << worst << "\n";
  EXPECT_LT(worst, 1e-5);
}

}  // namespace
}  // namespace soundlens::test
