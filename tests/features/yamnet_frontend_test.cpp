// YAMNet's front end: the 2:1 decimator by its frequency response and against
// the float64 reference, the graph's padding and frame counts, the mel matrix
// against the one in the TFLite file, and the log-mel against the reference
// (tools/reference/yamnet_reference.py).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>

#include "audio/audio.h"
#include "core/error.h"
#include "features/halfband_decimator.h"
#include "features/yamnet_frontend.h"
#include "model/tflite/tflite_model.h"
#include "model/tflite/yamnet_graph.h"
#include "test_paths.h"

namespace soundlens {
namespace {

namespace fs = std::filesystem;

std::vector<float> sine(double hz, int n, int rate = 32000) {
  std::vector<float> x(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) x[std::size_t(i)] = float(std::sin(2 * M_PI * hz * i / rate));
  return x;
}

// Peak amplitude of the middle half, away from the edge transients.
double middle_amplitude(const std::vector<float>& y) {
  double sum = 0;
  const std::size_t a = y.size() / 4, b = 3 * y.size() / 4;
  for (std::size_t i = a; i < b; ++i) sum += double(y[i]) * y[i];
  return std::sqrt(2 * sum / double(b - a));
}

TEST(HalfbandDecimator, PassesTheMelRangeFlat) {
  const features::HalfbandDecimator d;
  for (double hz : {125.0, 1000.0, 4000.0, 7000.0, 7500.0}) {
    const auto y = d.decimate(sine(hz, 32000));
    EXPECT_EQ(y.size(), 16000u);
    EXPECT_NEAR(middle_amplitude(y), 1.0, 1e-4) << hz << " Hz";
  }
}

TEST(HalfbandDecimator, StopsWhatWouldFoldIntoTheMelRange) {
  const features::HalfbandDecimator d;
  for (double hz : {8500.0, 9000.0, 12000.0, 15999.0}) {
    const auto y = d.decimate(sine(hz, 32000));
    EXPECT_LT(middle_amplitude(y), 1e-5) << hz << " Hz (-100 dB)";
  }
  // 8 kHz itself sits at the half-band point, where the response is one half.
  double at_8k = 0;
  const auto& h = d.taps();
  for (std::size_t i = 0; i < h.size(); ++i) at_8k += h[i] * std::cos(M_PI / 2 * (double(i) - 103));
  EXPECT_NEAR(at_8k, 0.5, 1e-6);  // after normalising to unit gain at DC
}

TEST(HalfbandDecimator, OddLengthsAndTinyInputs) {
  const features::HalfbandDecimator d;
  EXPECT_EQ(d.decimate(std::vector<float>(1, 1.0f)).size(), 1u);
  EXPECT_EQ(d.decimate(std::vector<float>(31201, 0.0f)).size(), 15601u);
  EXPECT_TRUE(d.decimate(std::vector<float>{}).empty());
  const auto& h = d.taps();
  ASSERT_EQ(h.size(), 207u);
  for (std::size_t i = 0; i < h.size(); ++i) EXPECT_DOUBLE_EQ(h[i], h[h.size() - 1 - i]);  // linear phase
}

TEST(YamnetFrontEnd, PadsLikeTheGraph) {
  const auto fe = make_yamnet_frontend();
  // n samples at 16 kHz -> frames: one patch up to 15600 samples, then a patch hop per 7680 begun.
  for (auto [n, frames] : std::vector<std::pair<int, int>>{
           {1, 96}, {15600, 96}, {15601, 144}, {15600 + 7680, 144}, {15600 + 7681, 192}, {160000, 96 + 19 * 48}}) {
    const auto mel = fe->compute_16k(std::vector<float>(std::size_t(n), 0.1f));
    EXPECT_EQ(mel.n_frames, frames) << n;
    EXPECT_EQ(mel.n_mels, 64);
    for (float v : mel.values) ASSERT_TRUE(std::isfinite(v));
  }
  EXPECT_EQ(fe->compute(std::vector<float>(31200, 0.1f)).n_frames, 96);  // 0.975 s at 32 kHz: one patch
  EXPECT_EQ(fe->compute(std::vector<float>(1, 0.1f)).n_frames, 96);
  EXPECT_DOUBLE_EQ(fe->compute(std::vector<float>(1, 0.1f)).seconds_per_frame, 0.01);
  try {
    (void)fe->compute(std::vector<float>{});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::empty_audio);
  }
  // Silence reads log(0 + 0.001) everywhere.
  const auto silent = fe->compute(std::vector<float>(32000, 0.0f));
  for (float v : silent.values) ASSERT_FLOAT_EQ(v, std::log(0.001f));
}

TEST(YamnetFrontEnd, FileMelMatrixIsTheHtkMatrixQuantised) {
  const auto path = test::models_dir() + "/yamnet/yamnet.tflite";
  if (!fs::exists(path)) GTEST_SKIP() << path;
  const auto file = tflite::load_yamnet_file(path);
  const auto computed = yamnet_mel_matrix();
  ASSERT_EQ(file.mel_matrix.size(), computed.size());
  // Per band (row) int8 scale: the file's weights are the computed ones rounded to it.
  std::ifstream in(path, std::ios::binary);
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto model = tflite::parse_model(bytes);
  std::vector<float> scale;
  for (const auto& t : model.tensors)
    if (t.shape == std::vector<std::int32_t>{64, 257}) scale = t.scale;
  ASSERT_EQ(scale.size(), 64u);
  double worst = 0;
  for (int m = 0; m < 64; ++m)
    for (int k = 0; k < 257; ++k) {
      const double err = std::abs(double(file.mel_matrix[std::size_t(m * 257 + k)]) - computed[std::size_t(m * 257 + k)]);
      worst = std::max(worst, err / scale[std::size_t(m)]);
    }
  std::cout << "mel matrix: file vs tf.signal.linear_to_mel_weight_matrix, worst error " << worst
            << " quantisation steps\n";
  EXPECT_LE(worst, 0.5 + 1e-3);
}

TEST(YamnetFrontEnd, MatchesTheReferenceOnARecording) {
  if (!test::have_reference_python()) GTEST_SKIP() << "no /usr/bin/python3 with torch";
  const auto path = test::models_dir() + "/yamnet/yamnet.tflite";
  const auto weights = tflite::load_yamnet_file(path);
  const auto fe = make_yamnet_frontend({weights.window, weights.mel_matrix, weights.mel_bias});
  const auto audio = decode_file(test::shared_audio("esc50-sample/" + std::string("2-103426-A-3.flac")));
  const features::HalfbandDecimator d;
  const auto x16 = d.decimate(audio.samples);
  const auto dir = fs::temp_directory_path() / ("soundlens-yamnet-fe-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto write = [](const fs::path& p, const std::vector<float>& v) {
    std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(v.data()), std::streamsize(v.size() * 4));
  };
  write(dir / "x32.f32", audio.samples);
  write(dir / "x16.f32", x16);
  const std::string py = "/usr/bin/python3 " + test::source_dir() + "/tools/reference/yamnet_reference.py ";
  ASSERT_EQ(std::system((py + "features16 '" + path + "' '" + (dir / "x16.f32").string() + "' '" +
                         (dir / "mel.json").string() + "'").c_str()), 0);
  ASSERT_EQ(std::system((py + "decimate '" + (dir / "x32.f32").string() + "' '" + (dir / "y.f64").string() + "'")
                            .c_str()), 0);
  std::ifstream mel_in(dir / "mel.json");
  const auto want = nlohmann::json::parse(mel_in)["mel"].get<std::vector<std::vector<double>>>();
  std::ifstream y_in(dir / "y.f64", std::ios::binary | std::ios::ate);
  std::vector<double> y(std::size_t(y_in.tellg()) / 8);
  y_in.seekg(0);
  y_in.read(reinterpret_cast<char*>(y.data()), std::streamsize(y.size() * 8));
  fs::remove_all(dir);

  ASSERT_EQ(y.size(), x16.size());
  double dec_err = 0;
  for (std::size_t i = 0; i < y.size(); ++i) dec_err = std::max(dec_err, std::abs(double(x16[i]) - y[i]));
  const auto got = fe->compute_16k(x16);
  ASSERT_EQ(std::size_t(got.n_frames), want.at(0).size());
  double mel_err = 0;
  for (int m = 0; m < 64; ++m)
    for (int t = 0; t < got.n_frames; ++t)
      mel_err = std::max(mel_err, std::abs(double(got.at(m, t)) - want[std::size_t(m)][std::size_t(t)]));
  std::cout << "5 s ESC-50 clip: decimation max error " << dec_err << ", log-mel (" << got.n_frames
            << " frames) max error " << mel_err << "\n";
  EXPECT_LT(dec_err, 1e-6);
  EXPECT_LT(mel_err, 1e-4);
}

}  // namespace
}  // namespace soundlens
