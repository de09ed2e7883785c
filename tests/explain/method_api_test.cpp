// The explanation methods' contract: names, errors, the stitched map's
// metadata, integrated gradients' completeness, and maps that follow a cough.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "audio/audio.h"
#include "core/error.h"
#include "explain/detail/methods.h"
#include "explain/explanation_method.h"
#include "model/model_registry.h"
#include "test_paths.h"

namespace soundlens::test {
namespace {

constexpr int kCough = 47;
constexpr int kRate = 32000;

std::shared_ptr<const Model> mn04() {
  static auto m = load_model("mn04_as", {models_dir()});
  return m;
}

ErrorCode code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  return ErrorCode::internal;
}

TEST(ExplanationMethods, NamesAreTheFive) {
  EXPECT_EQ(explanation_method_names(),
            (std::vector<std::string>{"gradcam", "gradcam++", "layercam", "integrated-gradients", "occlusion"}));
  for (const auto& n : explanation_method_names()) EXPECT_EQ(explanation_method(n).name(), n);
}

TEST(ExplanationMethods, UnknownNameIsBadRequestNamingTheKnownOnes) {
  for (const std::string bad : {"guided-backprop", "", "GradCAM", "gradcam "}) {
    try {
      explanation_method(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::bad_request);
      const std::string msg = e.what();
      EXPECT_NE(msg.find("'" + bad + "'"), std::string::npos) << msg;
      for (const auto& n : explanation_method_names()) EXPECT_NE(msg.find(n), std::string::npos) << msg;
    }
  }
}

TEST(ExplanationMethods, BadTargetsAreBadRequestForEveryMethod) {
  const auto model = mn04();
  std::vector<float> wave(kRate / 2);
  for (size_t i = 0; i < wave.size(); ++i) wave[i] = 0.1f * float(std::sin(0.2 * double(i)));
  const std::vector<MelSpectrogram> mels{model->frontend().compute(wave)};
  const auto pass = model->forward(mels);
  for (const auto& n : explanation_method_names()) {
    SCOPED_TRACE(n);
    const auto& m = explanation_method(n);
    const std::vector<std::vector<ExplainTarget>> bad{
        {{kCough, kCough}}, {{-1, -1}}, {{527, -1}}, {{kCough, 527}}, {{0, -1}, {5, 5}}};
    for (const auto& targets : bad)
      EXPECT_EQ(code_of([&] { m.explain(*model, *pass, mels, targets); }), ErrorCode::bad_request);
  }
}

TEST(ExplanationMethods, BandEdgesMeetTheMelCentres) {
  for (const auto& fe : {make_efficientat_frontend(128), make_panns_frontend()}) {
    const auto edges = fe->band_edges_hz();
    ASSERT_EQ(int(edges.size()), fe->n_mels() + 1);
    EXPECT_TRUE(std::is_sorted(edges.begin(), edges.end()));
    // A band's low edge is the previous band's centre (the triangles overlap by half).
    const auto centres = fe->compute(std::vector<float>(3200, 0.01f)).center_hz;
    for (int m = 0; m + 1 < fe->n_mels(); ++m) EXPECT_NEAR(edges[size_t(m) + 1], centres[size_t(m)], 1e-2) << m;
  }
  EXPECT_DOUBLE_EQ(make_efficientat_frontend(128)->band_edges_hz().front(), 0.0);
  EXPECT_NEAR(make_efficientat_frontend(128)->band_edges_hz().back(), 15000.0, 1e-6);
  EXPECT_NEAR(make_panns_frontend()->band_edges_hz().front(), 50.0, 1e-6);
  EXPECT_NEAR(make_panns_frontend()->band_edges_hz().back(), 14000.0, 1e-6);
}

// A cough placed into a quiet background at a known time.
Audio cough_at(double onset_s, double total_s, double* cough_s) {
  const auto cough = decode_file(shared_audio("cough/063900f6-c03b-4ffb-b51b-877b6b5a74d5.flac"));
  *cough_s = cough.duration_s();
  Audio a;
  a.samples.resize(size_t(total_s * kRate));
  uint32_t state = 99;
  for (auto& s : a.samples) {
    state = state * 1664525u + 1013904223u;
    s = (float(state >> 8) / float(1u << 24) - 0.5f) * 0.004f;  // about -60 dBFS
  }
  const size_t at = size_t(onset_s * kRate);
  for (size_t i = 0; i < cough.samples.size(); ++i) a.samples[at + i] += cough.samples[i];
  return a;
}

// Two 5 s windows with a 2.5 s hop over a 7.5 s recording: stitching, metadata, and the map on the cough.
TEST(ExplainRecording, EveryMethodFillsItsMapAndFindsTheCough) {
  const auto model = mn04();
  double cough_s = 0;
  const double onset = 4.0, total = 7.5;
  const auto audio = cough_at(onset, total, &cough_s);
  const std::vector<double> starts{0.0, 2.5};
  std::vector<MelSpectrogram> mels;
  for (double s : starts)
    mels.push_back(model->frontend().compute(std::span<const float>(audio.samples).subspan(size_t(s * kRate), 5 * kRate)));
  const auto pass = model->forward(mels);
  const WindowBatch batch{mels, pass.get()};
  const std::vector<ExplainTarget> targets{{kCough, -1}, {kCough, 48}};
  for (const auto& n : explanation_method_names()) {
    SCOPED_TRACE(n);
    const auto& method = explanation_method(n);
    const auto maps = explain_recording(*model, method, std::span(&batch, 1), starts, targets, audio.duration_s());
    ASSERT_EQ(maps.size(), 2u);
    for (const auto& m : maps) {
      EXPECT_EQ(m.method, n);
      EXPECT_EQ(m.class_index, kCough);
      EXPECT_EQ(m.layers, method.layers(model->info()));
      EXPECT_FALSE(m.layer.empty());
      ASSERT_EQ(m.values.size(), size_t(m.rows) * m.cols);
      EXPECT_EQ(*std::max_element(m.values.begin(), m.values.end()), 1.0f);
      EXPECT_GE(*std::min_element(m.values.begin(), m.values.end()), 0.0f);
      EXPECT_NEAR(m.seconds_per_column, m.frames_per_column * 0.01, 1e-12);
      EXPECT_EQ(m.cols, int(std::ceil(total / m.seconds_per_column - 1e-9)));
      EXPECT_EQ(m.rows * m.mel_bins_per_row, 128);
      ASSERT_EQ(m.row_edges_hz.size(), size_t(m.rows) + 1);
      EXPECT_DOUBLE_EQ(m.row_edges_hz.front(), 0.0);
      EXPECT_NEAR(m.row_edges_hz.back(), 15000.0, 1e-6);
      EXPECT_TRUE(std::is_sorted(m.row_edges_hz.begin(), m.row_edges_hz.end()));
      EXPECT_EQ(m.completeness_error.has_value(), n == "integrated-gradients");
    }
    {
      // The class's map peaks on the cough in time (one cell of slack each side).
      const auto& m = maps[0];
      int best = 0;
      double best_sum = -1;
      for (int c = 0; c < m.cols; ++c) {
        double sum = 0;
        for (int r = 0; r < m.rows; ++r) sum += m.at(r, c);
        if (sum > best_sum) best_sum = sum, best = c;
      }
      const double peak = (best + 0.5) * m.seconds_per_column;
      EXPECT_GE(peak, onset - m.seconds_per_column);
      EXPECT_LE(peak, onset + cough_s + m.seconds_per_column);
    }
    EXPECT_EQ(maps[0].score, "logit");
    EXPECT_EQ(maps[0].contrast_index, -1);
    EXPECT_EQ(maps[1].score, "logit(47) - logit(48)");
    EXPECT_EQ(maps[1].contrast_index, 48);
  }
}

TEST(IntegratedGradients, CompletenessOnTheMetroExampleIsUnderOnePercent) {
  const auto model = mn04();
  const auto audio = decode_file(shared_audio("example/metro_station-paris.wav"));
  const std::vector<MelSpectrogram> mels{model->frontend().compute(audio.samples)};
  const auto pass = model->forward(mels);
  auto logits = pass->logits(0);
  const int top = int(std::max_element(logits.begin(), logits.end()) - logits.begin());
  const auto grids = explanation_method("integrated-gradients").explain(*model, *pass, mels, {{{top, -1}}});
  ASSERT_TRUE(grids[0][0].completeness_error);
  RecordProperty("completeness_error", std::to_string(*grids[0][0].completeness_error));
  EXPECT_LT(*grids[0][0].completeness_error, 0.01);
  EXPECT_EQ(grids[0][0].rows, 128);
  EXPECT_EQ(grids[0][0].cols, mels[0].n_frames);
}

// The points of the path run side by side in batches (one intra-op thread
// each) and their gradients are added in batch order: the map is the same bit
// for bit however many threads there are, and with the doubling too.
TEST(IntegratedGradients, TheMapIsTheSameOnOneThreadAndOnTwo) {
  const auto model = mn04();
  const auto audio = decode_file(shared_audio("example/metro_station-paris.wav"));
  const std::vector<MelSpectrogram> mels{model->frontend().compute(audio.samples)};
  const auto pass = model->forward(mels);
  const auto method = detail::make_integrated_gradients(4, 2, 16, 0.0);  // 4 steps doubled to 16: 17 points
  const int before = inference_threads();
  std::vector<std::vector<CamGrid>> at[2];
  for (const int threads : {1, 2}) {
    set_inference_threads(threads);
    at[threads - 1] = method->explain(*model, *pass, mels, {{{300, -1}, {0, 137}}});
  }
  set_inference_threads(before);
  for (size_t t = 0; t < 2; ++t) {
    ASSERT_EQ(at[0][t][0].values.size(), at[1][t][0].values.size());
    EXPECT_EQ(at[0][t][0].values, at[1][t][0].values) << "target " << t;
    EXPECT_EQ(at[0][t][0].completeness_error, at[1][t][0].completeness_error);
  }
}

// YAMNet: every method on a real cough placed at 1.5 s into 4 s of quiet
// noise, cut as the analyzer cuts YAMNet (one 0.975 s patch every 0.48 s, the
// last ending at the end), explained for Cough and stitched over the recording.
std::shared_ptr<const Model> yamnet() {
  static auto m = load_model("yamnet", {models_dir()});
  return m;
}

struct YamnetCase {
  Audio audio;
  double onset = 1.5, cough_s = 0;
  std::vector<MelSpectrogram> mels;
  std::vector<double> starts;
  std::unique_ptr<ForwardPass> pass;
};

const YamnetCase& yamnet_cough() {
  static const YamnetCase c = [] {
    YamnetCase r;
    r.audio = cough_at(r.onset, 4.0, &r.cough_s);
    constexpr std::size_t kWindow = 31200, kHop = 15360;
    const std::size_t n = r.audio.samples.size();
    std::vector<std::size_t> starts;
    for (std::size_t s = 0; s + kWindow < n; s += kHop) starts.push_back(s);
    if (starts.back() != n - kWindow) starts.push_back(n - kWindow);
    for (auto s : starts) {
      r.mels.push_back(yamnet()->frontend().compute(std::span<const float>(r.audio.samples).subspan(s, kWindow)));
      r.starts.push_back(double(s) / kRate);
    }
    r.pass = yamnet()->forward(r.mels);
    return r;
  }();
  return c;
}

// The stitched map of `method` for Cough, checked for what every YAMNet map states.
CamMap yamnet_map(const std::string& method, int rows, int frames_per_column, const std::vector<std::string>& layers) {
  const auto& c = yamnet_cough();
  const int cough = 47;
  const WindowBatch batch{c.mels, c.pass.get()};
  const std::vector<ExplainTarget> targets{{cough, -1}};
  const auto maps =
      explain_recording(*yamnet(), explanation_method(method), std::span(&batch, 1), c.starts, targets, 4.0);
  EXPECT_EQ(maps.size(), 1u);
  const auto& m = maps.at(0);
  EXPECT_EQ(m.method, method);
  EXPECT_EQ(m.layers, layers);
  EXPECT_EQ(m.rows, rows);
  EXPECT_EQ(m.rows * m.mel_bins_per_row, 64);  // YAMNet's 64 bands
  EXPECT_EQ(m.frames_per_column, frames_per_column);
  EXPECT_NEAR(m.seconds_per_column, frames_per_column * 0.01, 1e-12);  // 10 ms frames at 16 kHz
  EXPECT_EQ(m.cols, int(std::ceil(4.0 / m.seconds_per_column - 1e-9)));
  EXPECT_EQ(m.values.size(), std::size_t(m.rows) * m.cols);
  // Band edges: 125 to 7,500 Hz, each row a whole number of the 64 HTK bands.
  EXPECT_EQ(m.row_edges_hz.size(), std::size_t(rows) + 1);
  const auto bands = yamnet()->frontend().band_edges_hz();
  for (int r = 0; r <= rows && r < int(m.row_edges_hz.size()); ++r)
    EXPECT_DOUBLE_EQ(m.row_edges_hz[std::size_t(r)], bands[std::size_t(r * 64 / rows)]) << r;
  EXPECT_NEAR(m.row_edges_hz.front(), 125.0, 1e-6);
  EXPECT_NEAR(m.row_edges_hz.back(), 7500.0, 1e-6);
  // Not constant: scaled to [0, 1] with a real peak and real zeros or lows.
  const auto [lo, hi] = std::minmax_element(m.values.begin(), m.values.end());
  EXPECT_EQ(*hi, 1.0f);
  EXPECT_GE(*lo, 0.0f);
  EXPECT_LT(*lo, 0.5f);
  for (float v : m.values) EXPECT_TRUE(std::isfinite(v));
  // The time profile peaks on the cough (a cell of slack each side).
  int best = 0;
  double best_sum = -1;
  for (int col = 0; col < m.cols; ++col) {
    double sum = 0;
    for (int r = 0; r < m.rows; ++r) sum += m.at(r, col);
    if (sum > best_sum) best_sum = sum, best = col;
  }
  const double peak = (best + 0.5) * m.seconds_per_column;
  EXPECT_GE(peak, c.onset - m.seconds_per_column) << method;
  EXPECT_LE(peak, c.onset + c.cough_s + m.seconds_per_column) << method;
  return m;
}

TEST(YamnetMethods, GradCamOnLayer14) {
  const auto m = yamnet_map("gradcam", 2, 32, {"layer14"});
  EXPECT_FALSE(m.completeness_error);
}

TEST(YamnetMethods, GradCamPlusPlusOnLayer14) { yamnet_map("gradcam++", 2, 32, {"layer14"}); }

// Three depths (8, 16 and 32 frames and bands per cell), fused at the finest.
TEST(YamnetMethods, LayerCamAtThreeDepthsFusedAtLayer6) {
  yamnet_map("layercam", 8, 8, {"layer6", "layer12", "layer14"});
}

// Baseline: YAMNet's silence in its own feature domain, log(0 + 0.001), which is what its front end gives for zeros.
TEST(YamnetMethods, IntegratedGradientsFromTheLogMelOfSilence) {
  const auto silence = yamnet()->frontend().compute(std::vector<float>(31200, 0.0f));
  for (float v : silence.values) ASSERT_FLOAT_EQ(v, yamnet()->info().silence_floor);
  const auto m = yamnet_map("integrated-gradients", 64, 1, {"input"});
  ASSERT_TRUE(m.completeness_error);
  RecordProperty("completeness_error", std::to_string(*m.completeness_error));
  std::printf("yamnet integrated gradients, cough: completeness error %.4f (the worst of %zu patches)\n",
              *m.completeness_error, yamnet_cough().mels.size());
  EXPECT_LT(*m.completeness_error, 0.01);
}

// The default patch, 0.32 s by 16 bands, is 32 of YAMNet's 10 ms frames by 16 of its 64 bands: cells 16 x 8.
TEST(YamnetMethods, OcclusionInYamnetFramesAndBands) { yamnet_map("occlusion", 8, 16, {"input"}); }

// A stream follows dozens of classes at once and the whole recording only its
// final few, and both must give the same maps: a target's grids are the same,
// bit for bit, alone or beside thirty others (Grad-CAM's one loop over the
// cells for every target, with YAMNet's linear head and mn04_as's MLP head),
// and with a contrast as well.
TEST(GradCam, ATargetsGridsAreTheSameAloneOrBesideThirtyOthers) {
  const auto metro = decode_file(shared_audio("example/metro_station-paris.wav"));
  for (const auto& model : {mn04(), yamnet()}) {
    SCOPED_TRACE(model->info().name);
    std::vector<MelSpectrogram> mels;
    const std::size_t window = model->info().name == "yamnet" ? 31200 : 5 * kRate;
    for (std::size_t start = 0; start + window <= metro.samples.size() && mels.size() < 3; start += window / 2)
      mels.push_back(model->frontend().compute(std::span<const float>(metro.samples).subspan(start, window)));
    const auto pass = model->forward(mels);
    const auto& method = explanation_method("gradcam");
    const auto logits = pass->logits(0);
    const int top = int(std::max_element(logits.begin(), logits.end()) - logits.begin());
    for (const ExplainTarget alone : {ExplainTarget{top, -1}, ExplainTarget{top, kCough}}) {
      std::vector<ExplainTarget> crowd;
      for (int c = 100; c < 130; ++c) crowd.push_back({c == top ? 0 : c, -1});
      crowd.insert(crowd.begin() + 17, alone);
      const auto one = method.explain(*model, *pass, mels, {&alone, 1});
      const auto many = method.explain(*model, *pass, mels, crowd);
      ASSERT_EQ(many.size(), 31u);
      ASSERT_EQ(one[0].size(), mels.size());
      double peak = 0;
      for (std::size_t w = 0; w < mels.size(); ++w) {
        EXPECT_EQ(one[0][w].values, many[17][w].values) << "window " << w;
        for (float v : one[0][w].values) peak = std::max(peak, double(v));
      }
      EXPECT_GT(peak, 0.0) << "a map of zeros would pass the comparison trivially";
    }
  }
}

// Layer-CAM explains its targets in groups side by side, one per inference
// thread: a target's grids are the same bit for bit alone or in the fifth
// place of five, on one thread or on two.
TEST(LayerCam, ATargetsGridsAreTheSameAloneOrBesideOthersOnOneThreadOrTwo) {
  const auto metro = decode_file(shared_audio("example/metro_station-paris.wav"));
  const int before = inference_threads();
  for (const auto& model : {mn04(), yamnet()}) {
    SCOPED_TRACE(model->info().name);
    std::vector<MelSpectrogram> mels;
    const std::size_t window = model->info().name == "yamnet" ? 31200 : 5 * kRate;
    for (std::size_t start = 0; start + window <= metro.samples.size() && mels.size() < 2; start += window)
      mels.push_back(model->frontend().compute(std::span<const float>(metro.samples).subspan(start, window)));
    const auto pass = model->forward(mels);
    const auto& method = explanation_method("layercam");
    const std::vector<ExplainTarget> five{{0, -1}, {137, -1}, {300, -1}, {47, 48}, {500, -1}};
    set_inference_threads(1);
    const auto alone = method.explain(*model, *pass, mels, {&five[4], 1});
    for (const int threads : {1, 2}) {
      set_inference_threads(threads);
      const auto all = method.explain(*model, *pass, mels, five);
      ASSERT_EQ(all.size(), 5u);
      for (std::size_t w = 0; w < mels.size(); ++w)
        EXPECT_EQ(alone[0][w].values, all[4][w].values) << threads << " threads, window " << w;
    }
    double peak = 0;
    for (const auto& g : alone[0])
      for (float v : g.values) peak = std::max(peak, double(v));
    EXPECT_GT(peak, 0.0) << "a map of zeros would pass the comparison trivially";
  }
  set_inference_threads(before);
}

}  // namespace
}  // namespace soundlens::test
