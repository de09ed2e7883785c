// Every model gives the same analysis whether the recording is analysed
// whole (a short synchronous upload, the CLI) or streamed (jobs, long
// uploads): issue 17 item 9, where YAMNet's streamed analyses counted its
// 32 kHz input at its 16 kHz front-end rate and reported twice the time.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <memory>

#include "analysis/analysis_json.h"
#include "analysis_events/analysis_events.h"
#include "audio/wav_writer.h"
#include "model/model_registry.h"
#include "render/analysis_figure.h"
#include "reference_runner.h"
#include "test_paths.h"

namespace soundlens {
namespace {

constexpr double kProbabilityTolerance = 1e-4;

// mn04_as and yamnet with their real weights; cnn14 (no weights here) with
// random weights in the official layout, when the reference Python can make them.
const Analyzer* analyzer_for(const std::string& name) {
  static std::map<std::string, std::unique_ptr<Analyzer>> cache;
  auto& slot = cache[name];
  if (!slot) {
    std::string dir = test::models_dir();
    if (name == "cnn14") {
      if (!test::have_reference_python()) return nullptr;
      dir = test::temp_dir("stream-parity-cnn14");
      test::make_random_cnn14(dir + "/Cnn14_mAP=0.431.pth", 5);
    }
    slot = std::make_unique<Analyzer>(load_model(name, {dir}), load_labels({test::models_dir()}));
    if (name == "cnn14") std::filesystem::remove_all(dir);  // 327 MB, loaded now
  }
  return slot.get();
}

StreamedAnalysis whole(const Analyzer& analyzer, const Audio& audio, AnalysisOptions options) {
  ask_for_event_classes(options, analyzer, {});
  StreamedAnalysis out;
  out.analysis = analyzer.analyze(audio, options);
  out.events = analysis_events(analyzer, audio, out.analysis, options, {});
  return out;
}

StreamedAnalysis streamed(const Analyzer& analyzer, const SampleReader& read, AnalysisOptions options) {
  ask_for_event_classes(options, analyzer, {});
  return analyze_stream_with_events(analyzer, read, options, {});
}

// A real recording longer than two windows of every model: real clips of the
// shared audio one after the other, written as a 32 kHz WAV: 25.3 s, or
// without the metro clip 15.3 s (three windows of 10 s: enough for CNN14,
// whose backward passes are slow on a CPU).
std::string concatenated_clips(bool with_metro) {
  static std::map<bool, std::string> paths;
  auto& path = paths[with_metro];
  if (path.empty()) {
    std::vector<float> samples;
    for (const char* clip : {"example/metro_station-paris.wav", "awkward/01_stereo_44k1_coughing.mp3",
                             "awkward/02_vorbis_44k1_dog.ogg", "awkward/05_tel_8k_pcm16_breathing.wav",
                             "awkward/03_short_0p3s_door_knock.wav"}) {
      if (!with_metro && std::string(clip).find("metro") != std::string::npos) continue;
      const Audio a = decode_file(test::shared_audio(clip));
      samples.insert(samples.end(), a.samples.begin(), a.samples.end());
    }
    const std::string file = test::temp_dir(with_metro ? "stream-parity-audio" : "stream-parity-short") + "/clips.wav";
    const auto bytes = encode_wav_pcm16(samples, 32000);
    FILE* f = std::fopen(file.c_str(), "wb");
    std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
    path = file;
  }
  return path;
}

void expect_same_analysis(const StreamedAnalysis& got, const StreamedAnalysis& want) {
  const Analysis &g = got.analysis, &w = want.analysis;
  EXPECT_EQ(g.model, w.model);
  EXPECT_NEAR(g.duration_s, w.duration_s, 1e-9);
  EXPECT_NEAR(g.duration_s, w.audio.duration_s, 0.05);  // the analysed time is the recording's
  EXPECT_DOUBLE_EQ(g.window_s, w.window_s);
  EXPECT_DOUBLE_EQ(g.hop_s, w.hop_s);
  ASSERT_EQ(g.predictions.size(), w.predictions.size());
  for (std::size_t i = 0; i < w.predictions.size(); ++i) {
    EXPECT_EQ(g.predictions[i].label, w.predictions[i].label) << "top " << i;
    EXPECT_NEAR(g.predictions[i].probability, w.predictions[i].probability, kProbabilityTolerance) << "top " << i;
  }
  ASSERT_EQ(g.probabilities.size(), w.probabilities.size());
  for (std::size_t c = 0; c < w.probabilities.size(); ++c)
    if (!std::isnan(w.probabilities[c]))
      EXPECT_NEAR(g.probabilities[c], w.probabilities[c], kProbabilityTolerance) << "class " << c;
  ASSERT_EQ(g.timeline.size(), w.timeline.size());
  for (std::size_t i = 0; i < w.timeline.size(); ++i) {
    EXPECT_NEAR(g.timeline[i].start_s, w.timeline[i].start_s, 1e-9) << "window " << i;
    EXPECT_NEAR(g.timeline[i].end_s, w.timeline[i].end_s, 1e-9) << "window " << i;
    ASSERT_EQ(g.timeline[i].probabilities.size(), w.timeline[i].probabilities.size());
    for (std::size_t c = 0; c < w.timeline[i].probabilities.size(); ++c)
      if (!std::isnan(w.timeline[i].probabilities[c]))
        ASSERT_NEAR(g.timeline[i].probabilities[c], w.timeline[i].probabilities[c], kProbabilityTolerance)
            << "window " << i << " class " << c;
  }
  ASSERT_EQ(g.explanations.size(), w.explanations.size());
  for (std::size_t i = 0; i < w.explanations.size(); ++i) {
    const CamMap &gm = g.explanations[i].cam, &wm = w.explanations[i].cam;
    EXPECT_EQ(g.explanations[i].target.index, w.explanations[i].target.index);
    ASSERT_EQ(gm.rows, wm.rows);
    ASSERT_EQ(gm.cols, wm.cols) << "explanation " << i;
    EXPECT_NEAR(gm.seconds_per_column, wm.seconds_per_column, 1e-9);
    for (std::size_t k = 0; k < wm.values.size(); ++k)
      ASSERT_NEAR(gm.values[k], wm.values[k], kProbabilityTolerance) << "explanation " << i << " cell " << k;
  }
  // Events and quality as the API reports them (times rounded as in the JSON).
  nlohmann::json gj = nlohmann::json::object(), wj = nlohmann::json::object();
  add_events_json(gj, got.events);
  add_events_json(wj, want.events);
  EXPECT_EQ(gj["events"], wj["events"]);
  EXPECT_EQ(gj["event_counts"], wj["event_counts"]);
  EXPECT_EQ(gj["quality"], wj["quality"]);
  for (const auto& e : got.events.result.events) EXPECT_LE(e.offset_s, g.duration_s + 1e-6) << e.label;
}

class ModelStreamParity : public ::testing::TestWithParam<std::string> {
 protected:
  const Analyzer& analyzer() {
    const Analyzer* a = analyzer_for(GetParam());
    if (!a) throw std::runtime_error("no reference Python to make the random CNN14");
    return *a;
  }
  void SetUp() override {
    if (GetParam() == "cnn14" && !test::have_reference_python()) GTEST_SKIP() << "no reference Python for CNN14";
  }
};

TEST_P(ModelStreamParity, TheMetroClipStreamedEqualsTheWholeClip) {
  const std::string path = test::shared_audio("example/metro_station-paris.wav");
  AnalysisOptions options;
  options.figure = true;
  const auto want = whole(analyzer(), decode_file(path), options);
  const auto got = streamed(analyzer(), file_reader(path), options);
  EXPECT_NEAR(want.analysis.duration_s, 10.0, 1e-6);
  expect_same_analysis(got, want);
  EXPECT_EQ(analysis_figure_png(got.analysis), analysis_figure_png(want.analysis));
}

TEST_P(ModelStreamParity, ClipsLongerThanTwoWindowsStreamedEqualTheWholeRecording) {
  const std::string path = concatenated_clips(GetParam() != "cnn14");
  const Audio audio = decode_file(path);
  AnalysisOptions options;
  options.figure = true;
  options.classes = {"Cough"};
  const auto want = whole(analyzer(), audio, options);
  ASSERT_GT(want.analysis.timeline.size(), 2u);
  // From the file, and from memory in odd blocks.
  for (const auto& [name, read] : {std::pair{"file", file_reader(path)}, {"blocks", memory_reader(audio, 40001)}}) {
    SCOPED_TRACE(name);
    const auto got = streamed(analyzer(), read, options);
    expect_same_analysis(got, want);
    // YAMNet's too, whose front end pads the end to whole patches counted from the start.
    EXPECT_EQ(analysis_figure_png(got.analysis), analysis_figure_png(want.analysis));
  }
}

TEST_P(ModelStreamParity, ASpectrogramSpanIsTheWholeRecordingsFramesFromTheFileAndTheStream) {
  // The viewer's span spectrogram counts frames in the front end's own time
  // (YAMNet: 10 ms, 320 samples of the 32 kHz input).
  const std::string path = test::shared_audio("example/metro_station-paris.wav");
  const Audio audio = decode_file(path);
  const MelSpectrogram all = analyzer().spectrogram(audio);
  const double frame_s = analyzer().model().frontend().seconds_per_frame();
  for (const auto& [start_s, end_s] : {std::pair{3.0, 5.0}, {0.0, 1.0}, {8.5, 9.5}}) {
    SCOPED_TRACE(std::to_string(start_s) + " to " + std::to_string(end_s));
    double first_s = -1, streamed_first_s = -2;
    const MelSpectrogram span = analyzer().spectrogram(audio, start_s, end_s, &first_s);
    const MelSpectrogram streamed_span = analyzer().spectrogram(file_reader(path), start_s, end_s, &streamed_first_s);
    EXPECT_NEAR(first_s, start_s, frame_s);
    EXPECT_EQ(streamed_first_s, first_s);
    EXPECT_NEAR(span.n_frames * frame_s, end_s - start_s, 2 * frame_s);
    EXPECT_EQ(streamed_span.values, span.values);
    const int f0 = int(std::lround(first_s / frame_s));
    ASSERT_LE(f0 + span.n_frames, all.n_frames);
    for (int m = 0; m < span.n_mels; ++m)
      for (int f = 0; f < span.n_frames; ++f)
        ASSERT_NEAR(span.at(m, f), all.at(m, f0 + f), 1e-4) << "mel " << m << " frame " << f;
  }
}

INSTANTIATE_TEST_SUITE_P(EveryModel, ModelStreamParity, ::testing::Values("mn04_as", "yamnet", "cnn14"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace soundlens
