// Faithfulness (MoRF / LeRF deletion over a map's own cells) against the
// independent Python reference (tools/reference/faithfulness_reference.py, float64
// networks), and on maps whose answer is known.
#include "explain/faithfulness.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "test_paths.h"
#include "trust_support.h"

namespace soundlens::test {
namespace {

constexpr int kCough = 47;
constexpr int kThroatClearing = 49;
constexpr int kTenSeconds = 1001;  // frames of a 10 s window
constexpr double kCurveTolerance = 1e-5;

struct Reference {
  std::vector<double> steps, morf, lerf;
  double morf_auc, lerf_auc, score, random_score;
};

Reference run_reference(const Model& model, const MelSpectrogram& spec, int window, int hop, const CamMap& map) {
  const auto dir = std::filesystem::temp_directory_path() / ("soundlens-faith-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto spec_path = (dir / "spec.f32").string(), in = (dir / "in.json").string(),
             out = (dir / "out.json").string();
  std::ofstream(spec_path, std::ios::binary)
      .write(reinterpret_cast<const char*>(spec.values.data()), std::streamsize(spec.values.size() * 4));
  nlohmann::json j = {{"model", "efficientat"},      {"checkpoint", model.info().weights_file},
                      {"spectrogram", spec_path},     {"n_mels", spec.n_mels},
                      {"n_frames", spec.n_frames},    {"window_frames", window},
                      {"hop_frames", hop},            {"silence_floor", model.info().silence_floor},
                      {"min_frames", model.info().min_frames}, {"seed", kFaithfulnessSeed}};
  j["map"] = {{"rows", map.rows}, {"cols", map.cols}, {"values", map.values},
              {"frames_per_column", map.frames_per_column}, {"mel_bins_per_row", map.mel_bins_per_row},
              {"class_index", map.class_index}, {"contrast_index", map.contrast_index}};
  std::ofstream(in) << j.dump();
  const auto cmd = "/usr/bin/python3 " + source_dir() + "/tools/reference/faithfulness_reference.py " + in + " " + out;
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
  const auto r = nlohmann::json::parse(std::ifstream(out));
  std::filesystem::remove_all(dir);
  return {r.at("steps").get<std::vector<double>>(), r.at("morf").get<std::vector<double>>(),
          r.at("lerf").get<std::vector<double>>(), r.at("morf_auc"), r.at("lerf_auc"), r.at("score"),
          r.at("random_score")};
}

void expect_near_all(const std::vector<double>& a, const std::vector<double>& b, const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], kCurveTolerance) << what << " step " << i;
}

void expect_matches_reference(const MelSpectrogram& spec, int window, int hop, const CamMap& map) {
  const auto& model = *mn04();
  const auto f = faithfulness(model, spec, window, hop, map);
  const auto r = run_reference(model, spec, window, hop, map);
  expect_near_all(f.steps, r.steps, "steps");
  expect_near_all(f.morf, r.morf, "MoRF");
  expect_near_all(f.lerf, r.lerf, "LeRF");
  EXPECT_NEAR(f.morf_auc, r.morf_auc, kCurveTolerance);
  EXPECT_NEAR(f.lerf_auc, r.lerf_auc, kCurveTolerance);
  EXPECT_NEAR(f.score, r.score, kCurveTolerance);
  EXPECT_NEAR(f.random_score, r.random_score, kCurveTolerance);
}

TEST(Faithfulness, MatchesTheReferenceOnARealCough) {
  if (!have_reference_python()) GTEST_SKIP() << "no /usr/bin/python3 with torch";
  const auto& model = *mn04();
  const auto spec = model.frontend().compute(cough_clip().samples);
  expect_matches_reference(spec, kTenSeconds, kTenSeconds / 2, grad_cam_map(model, spec, kTenSeconds, 500, kCough));
}

TEST(Faithfulness, MatchesTheReferenceOverSeveralWindowsAndForAContrast) {
  if (!have_reference_python()) GTEST_SKIP() << "no /usr/bin/python3 with torch";
  const auto& model = *mn04();
  const auto spec = model.frontend().compute(cough_in_background(0.8, 3.0).samples);
  // 1.28 s windows every 0.64 s: five windows, the clip probability their maximum.
  const auto map = grad_cam_map(model, spec, 128, 64, kCough, kThroatClearing);
  expect_matches_reference(spec, 128, 64, map);
}

TEST(Faithfulness, AMapOfTheCoughBeatsARandomMap) {
  const auto& model = *mn04();
  const double onset = 2.0;
  const auto audio = cough_in_background(onset, 10.0);
  const auto spec = model.frontend().compute(audio.samples);
  auto event = grad_cam_map(model, spec, kTenSeconds, 500, kCough);
  const auto gradcam = faithfulness(model, spec, kTenSeconds, 500, event);
  // A hand-made map: ones on the columns the cough covers, zeros elsewhere.
  const double end = onset + cough_clip().duration_s();
  for (int c = 0; c < event.cols; ++c)
    for (int r = 0; r < event.rows; ++r) {
      const double t0 = c * event.seconds_per_column, t1 = t0 + event.seconds_per_column;
      event.values[std::size_t(r) * event.cols + c] = (t1 > onset && t0 < end) ? 1.0f : 0.0f;
    }
  const auto marked = faithfulness(model, spec, kTenSeconds, 500, event);
  std::printf("cough at 2 s: Grad-CAM score %.3f, marked-event score %.3f, random %.3f; p %.3f\n", gradcam.score,
              marked.score, marked.random_score, marked.morf.front());
  EXPECT_GT(marked.score, marked.random_score + 0.2);
  EXPECT_GT(gradcam.score, gradcam.random_score + 0.2);
  EXPECT_DOUBLE_EQ(gradcam.random_score, marked.random_score);  // the same cells, the same random map
  // Removing the cough first drops the probability; removing it last keeps it up to the end
  // (steps of 20 %: point 2 is 40 % of the cells removed, point 3 is 60 %).
  EXPECT_LT(marked.morf[2], 0.5 * marked.morf[0]);
  EXPECT_GT(marked.lerf[3], 0.8 * marked.lerf[0]);
}

TEST(Faithfulness, AFlatMapScoresZero) {
  const auto& model = *mn04();
  const auto spec = model.frontend().compute(cough_clip().samples);
  auto map = grad_cam_map(model, spec, kTenSeconds, 500, kCough);
  std::fill(map.values.begin(), map.values.end(), 0.5f);
  const auto f = faithfulness(model, spec, kTenSeconds, 500, map);
  // Equal values keep row-major order both ways: the two curves are one.
  EXPECT_EQ(f.morf, f.lerf);
  EXPECT_EQ(f.score, 0.0);
  EXPECT_NE(f.random_score, 0.0);
}

// The same removal done by hand: every cell at the silence floor.
double all_silent_probability(const Model& model, const MelSpectrogram& spec, int class_index) {
  auto silent = spec;
  std::fill(silent.values.begin(), silent.values.end(), model.info().silence_floor);
  return clip_probability(model, silent, kTenSeconds, 500, class_index);
}

TEST(Faithfulness, OneCell) {
  const auto& model = *mn04();
  const auto spec = model.frontend().compute(cough_clip().samples);
  CamMap map;
  map.class_index = kCough;
  map.rows = map.cols = 1;
  map.frames_per_column = spec.n_frames;
  map.mel_bins_per_row = spec.n_mels;
  map.values = {1.0f};
  const auto f = faithfulness(model, spec, kTenSeconds, 500, map);
  // Below: passes batched differently round differently (by about 1e-6).
  const std::vector<double> steps = {0, 0, 0, 1, 1, 1};  // round(i / 5) of one cell
  EXPECT_EQ(f.steps, steps);
  EXPECT_EQ(f.morf, f.lerf);
  EXPECT_NEAR(f.morf.front(), clip_probability(model, spec, kTenSeconds, 500, kCough), kCurveTolerance);
  EXPECT_NEAR(f.morf.back(), all_silent_probability(model, spec, kCough), kCurveTolerance);
  EXPECT_EQ(f.score, 0.0);
}

// The class the model scores highest (first) or lowest on one window of spec.
int ranked_class(const Model& model, const MelSpectrogram& spec, bool highest) {
  // Padded with the silence floor to the shortest input, as faithfulness pads it.
  MelSpectrogram padded = spec;
  padded.n_frames = std::max(spec.n_frames, model.info().min_frames);
  padded.values.assign(std::size_t(spec.n_mels) * padded.n_frames, model.info().silence_floor);
  for (int m = 0; m < spec.n_mels; ++m)
    std::copy_n(spec.values.data() + std::size_t(m) * spec.n_frames, spec.n_frames,
                padded.values.data() + std::size_t(m) * padded.n_frames);
  const std::vector<MelSpectrogram> one{padded};
  const auto pass = model.forward(one);  // held: logits() views its memory
  const auto logits = pass->logits(0);
  int best = -1;
  for (int c = 0; c < int(logits.size()); ++c)
    if (!std::isnan(logits[c]) && (best < 0 || (highest ? logits[c] > logits[best] : logits[c] < logits[best])))
      best = c;
  return best;
}

TEST(Faithfulness, RecordingShorterThanACell) {
  const auto& model = *mn04();
  auto clip = cough_clip().samples;
  clip.resize(9000);  // 0.28 s of the burst: 29 frames, under one 32-frame column
  const auto spec = model.frontend().compute(clip);
  ASSERT_LT(spec.n_frames, model.info().time_stride);
  const int top = ranked_class(model, spec, true);
  const auto map = grad_cam_map(model, spec, kTenSeconds, 500, top);
  ASSERT_EQ(map.cols, 1);
  const auto f = faithfulness(model, spec, kTenSeconds, 500, map);
  EXPECT_NE(f.message.find("shorter than one cell"), std::string::npos) << f.message;
  // 0.28 s of a cough is too little for any class to reach 0.05 (measured: the top one scores 0.040): the
  // message says both, and no curve is run.
  ASSERT_TRUE(f.absent_class) << "class " << top << " scores " << f.probability;
  EXPECT_NE(f.message.find("absent"), std::string::npos) << f.message;
  EXPECT_TRUE(f.morf.empty());
  // Explained against a contrast, the same clip's check runs (a difference of logits is never absent).
  auto contrast = map;
  contrast.contrast_index = ranked_class(model, spec, false);
  const auto c = faithfulness(model, spec, kTenSeconds, 500, contrast);
  EXPECT_FALSE(c.absent_class);
  ASSERT_EQ(c.steps.size(), std::size_t(kFaithfulnessSteps + 1));
  EXPECT_EQ(c.steps.back(), 1.0);
  EXPECT_TRUE(std::isfinite(c.score));
  EXPECT_NE(c.message.find("shorter than one cell"), std::string::npos) << c.message;
}

TEST(Faithfulness, AnAbsentClassGetsNoVerdict) {
  const auto& model = *mn04();
  const auto spec = model.frontend().compute(cough_clip().samples);
  const int absent = ranked_class(model, spec, false);
  const auto f = faithfulness(model, spec, kTenSeconds, 500, grad_cam_map(model, spec, kTenSeconds, 500, absent));
  EXPECT_TRUE(f.absent_class);
  EXPECT_LT(f.probability, kAbsentClassProbability);
  EXPECT_NE(f.message.find("absent"), std::string::npos) << f.message;
  EXPECT_TRUE(f.morf.empty() && f.lerf.empty());
  EXPECT_EQ(f.score, 0.0);
  EXPECT_EQ(f.random_score, 0.0);
  // The cough's own class is present: its check runs.
  const auto cough = faithfulness(model, spec, kTenSeconds, 500, grad_cam_map(model, spec, kTenSeconds, 500, kCough));
  EXPECT_FALSE(cough.absent_class);
  EXPECT_TRUE(cough.message.empty()) << cough.message;
  EXPECT_EQ(cough.morf.size(), std::size_t(kFaithfulnessSteps + 1));
}

TEST(Faithfulness, BadInputIsABadRequest) {
  const auto& model = *mn04();
  const auto spec = model.frontend().compute(cough_clip().samples);
  const auto map = grad_cam_map(model, spec, kTenSeconds, 500, kCough);
  auto expect_code = [&](CamMap m, ErrorCode code, int window = kTenSeconds) {
    try {
      faithfulness(model, spec, window, 500, m);
      ADD_FAILURE() << "no error";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), code) << e.what();
    }
  };
  auto m = map;
  m.contrast_index = kCough;  // contrast with itself
  expect_code(m, ErrorCode::bad_request);
  m = map;
  m.class_index = 527;
  expect_code(m, ErrorCode::not_found);
  m = map;
  m.values.pop_back();
  expect_code(m, ErrorCode::bad_request);
  m = map;
  m.mel_bins_per_row = 16;  // 4 rows of 16 bins do not cover 128
  expect_code(m, ErrorCode::bad_request);
  m = map;
  m.values[0] = std::nanf("");
  expect_code(m, ErrorCode::bad_request);
  expect_code(map, ErrorCode::bad_request, 0);
}

}  // namespace
}  // namespace soundlens::test
