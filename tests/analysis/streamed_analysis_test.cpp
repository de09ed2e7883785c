// The streamed analysis (the recording read as a stream, never held whole)
// gives the same result as the analysis of the decoded recording, reading it
// a second time only for the windows a late-ranking class missed.
#include <gtest/gtest.h>

#include "analysis/analysis_json.h"
#include "analysis_events/analysis_events.h"
#include "core/error.h"
#include "model/model_registry.h"
#include "render/analysis_figure.h"
#include "test_paths.h"

namespace soundlens {
namespace {

const Analyzer& analyzer() {
  static const Analyzer a(load_model("mn04_as", {test::models_dir()}), load_labels({test::models_dir()}));
  return a;
}

// Everything the CLI and the API report, but the timings (and the PNG, compared apart).
nlohmann::json reported(const Analysis& a, const AnalysisEvents& events) {
  auto j = analysis_to_json(a, JsonOptions{true});
  add_events_json(j, events);
  j.erase("timings_ms");
  return j;
}

// The whole-recording path: decoded, analysed, events found (as the CLI did before streaming).
StreamedAnalysis whole(const Audio& audio, AnalysisOptions options, const AnalysisEventOptions& events) {
  ask_for_event_classes(options, analyzer(), events);
  StreamedAnalysis out;
  out.analysis = analyzer().analyze(audio, options);
  out.events = analysis_events(analyzer(), audio, out.analysis, options, events);
  return out;
}

StreamedAnalysis streamed(const SampleReader& read, AnalysisOptions options, const AnalysisEventOptions& events) {
  ask_for_event_classes(options, analyzer(), events);
  return analyze_stream_with_events(analyzer(), read, options, events);
}

void expect_same(const StreamedAnalysis& got, const StreamedAnalysis& want) {
  const auto g = reported(got.analysis, got.events), w = reported(want.analysis, want.events);
  ASSERT_EQ(g["timeline"].size(), w["timeline"].size());
  for (std::size_t i = 0; i < w["timeline"].size(); ++i)
    ASSERT_EQ(g["timeline"][i], w["timeline"][i]) << "window " << i;
  ASSERT_EQ(g["explanations"].size(), w["explanations"].size());
  for (std::size_t i = 0; i < w["explanations"].size(); ++i)
    EXPECT_EQ(g["explanations"][i], w["explanations"][i]) << "explanation " << i;
  EXPECT_EQ(g["events"], w["events"]);
  EXPECT_EQ(g["event_counts"], w["event_counts"]);
  EXPECT_EQ(g["quality"], w["quality"]);
  EXPECT_EQ(g, w);  // and everything else (model, audio, predictions, probabilities, ...)
  // Per window, every class's probability bit for bit (the JSON rounds them).
  ASSERT_EQ(got.analysis.timeline.size(), want.analysis.timeline.size());
  for (std::size_t i = 0; i < want.analysis.timeline.size(); ++i)
    ASSERT_EQ(got.analysis.timeline[i].probabilities, want.analysis.timeline[i].probabilities) << "window " << i;
  for (std::size_t i = 0; i < want.analysis.explanations.size(); ++i)
    EXPECT_EQ(got.analysis.explanations[i].cam.values, want.analysis.explanations[i].cam.values) << i;
}

TEST(StreamedAnalysis, TheNinetySecondFileStreamedEqualsTheWholeFile) {
  const std::string path = test::shared_audio("awkward/04_long_90s_concat.wav");
  AnalysisOptions options;
  options.classes = {"Cough", "Sneeze"};
  options.figure = true;
  const AnalysisEventOptions events;
  const auto want = whole(decode_file(path), options, events);
  const auto got = streamed(file_reader(path), options, events);
  expect_same(got, want);
  EXPECT_EQ(analysis_figure_png(got.analysis), analysis_figure_png(want.analysis));  // 9,001 frames: the exact spectrogram
  EXPECT_FALSE(got.events.result.events.empty());
  EXPECT_GT(got.analysis.timings_ms.at("decode"), 0.0);
}

TEST(StreamedAnalysis, SixMinutesOfARepeatedRealRecordingEqualTheWholePath) {
  // The 90 s file four times over, in odd blocks, with a method of finer
  // columns and the events on the clip's own windows too.
  const Audio once = decode_file(test::shared_audio("awkward/04_long_90s_concat.wav"));
  Audio audio = once;
  for (int i = 0; i < 3; ++i) audio.samples.insert(audio.samples.end(), once.samples.begin(), once.samples.end());
  AnalysisOptions options;
  options.classes = {"Cough"};
  options.figure = true;
  for (const auto& [method, event_window_s, event_hop_s] :
       {std::tuple{"gradcam", 5.0, 1.0}, std::tuple{"layercam", 10.0, 5.0}}) {
    options.method = method;
    AnalysisEventOptions events;
    events.window_s = event_window_s;
    events.hop_s = event_hop_s;
    const auto want = whole(audio, options, events);
    const auto got = streamed(memory_reader(audio, 40001), options, events);
    expect_same(got, want);
    EXPECT_FALSE(analysis_figure_png(got.analysis).empty());
    EXPECT_EQ(got.events.result.counts.empty(), false) << method;
  }
}

TEST(StreamedAnalysis, ASpectrogramSpanReadAsAStreamEqualsTheSpanOfTheWholeRecording) {
  const std::string path = test::shared_audio("awkward/04_long_90s_concat.wav");
  const Audio audio = decode_file(path);
  for (const auto& [start_s, end_s] : {std::pair{0.0, 5.0}, {0.01, 0.02}, {42.3, 47.9}, {85.0, 200.0}, {89.99, 90.5},
                                       {95.0, 100.0}, {0.0, 1e6}}) {
    double want_first = -1, got_first = -2;
    const auto want = analyzer().spectrogram(audio, start_s, end_s, &want_first);
    const auto got = analyzer().spectrogram(file_reader(path), start_s, end_s, &got_first);
    EXPECT_EQ(got_first, want_first) << start_s << " to " << end_s;
    EXPECT_EQ(got.n_frames, want.n_frames) << start_s << " to " << end_s;
    EXPECT_EQ(got.values, want.values) << start_s << " to " << end_s;
  }
}

// A reader that counts its readings and the samples each one handed out.
struct CountedReader {
  SampleReader inner;
  std::vector<std::size_t> samples_read;
  SampleReader reader() {
    return [this](const SampleSink& sink) {
      samples_read.push_back(0);
      return inner([&](std::span<const float> block) {
        samples_read.back() += block.size();
        sink(block);
      });
    };
  }
};

Audio repeated(const std::string& path, int times) {
  const Audio once = decode_file(test::shared_audio(path));
  Audio audio = once;
  for (int i = 1; i < times; ++i) audio.samples.insert(audio.samples.end(), once.samples.begin(), once.samples.end());
  return audio;
}

TEST(StreamedAnalysis, ClassesRankedFromTheStartAreExplainedInOneReading) {
  // Four minutes of the metro clip: its top classes rank there from the first batch of windows.
  const Audio audio = repeated("example/metro_station-paris.wav", 24);
  AnalysisOptions options;
  options.figure = true;
  CountedReader counted{memory_reader(audio, 32000)};
  const auto got = streamed(counted.reader(), options, {});
  expect_same(got, whole(audio, options, {}));
  EXPECT_FALSE(analysis_figure_png(got.analysis).empty());  // (past 163 s the stream's figure averages columns)
  ASSERT_EQ(counted.samples_read.size(), 1u) << "a second reading";
}

TEST(StreamedAnalysis, AClassThatRisesLateIsExplainedOverEveryWindowWithASecondReadingOfThePrefixOnly) {
  // The metro clip for two minutes, then a siren: the siren ranks among the top only at the end,
  // so its map needs every earlier window again, and no more than those.
  Audio audio = repeated("example/metro_station-paris.wav", 12);
  const Audio siren = decode_file(test::shared_audio("esc50-sample/4-102871-A-42.flac"));
  audio.samples.insert(audio.samples.end(), siren.samples.begin(), siren.samples.end());
  for (const char* method : {"gradcam", "gradcam++", "layercam"}) {
    AnalysisOptions options;
    options.method = method;
    CountedReader counted{memory_reader(audio, 32000)};
    const auto got = streamed(counted.reader(), options, {});
    expect_same(got, whole(audio, options, {}));
    ASSERT_EQ(counted.samples_read.size(), 2u) << method;
    std::vector<std::string> top;
    for (const auto& p : got.analysis.predictions) top.push_back(p.label);
    EXPECT_NE(std::find(top.begin(), top.end(), "Siren"), top.end()) << method << ": " << ::testing::PrintToString(top);
    if (std::string(method) != "layercam")  // read again up to the siren's window, not to the end
      EXPECT_LT(counted.samples_read[1], audio.samples.size()) << method;
  }
}

TEST(StreamedAnalysis, RefusesWhatTheWholePathRefuses) {
  const auto code_of = [](const Audio& audio, AnalysisOptions options) {
    try {
      streamed(memory_reader(audio), options, {});
    } catch (const Error& e) {
      return e.code();
    }
    return ErrorCode::internal;
  };
  Audio silent;
  silent.samples.assign(32000 * 20, 0.0f);
  EXPECT_EQ(code_of(silent, {}), ErrorCode::silent_audio);
  Audio blip;
  blip.samples.assign(1000, 0.1f);
  EXPECT_EQ(code_of(blip, {}), ErrorCode::too_short);
  const Audio real = decode_file(test::shared_audio("awkward/04_long_90s_concat.wav"));
  AnalysisOptions faithful;
  faithful.faithfulness = true;
  EXPECT_EQ(code_of(real, faithful), ErrorCode::bad_request);
  AnalysisOptions few;
  few.limits.max_windows = 10;
  EXPECT_EQ(code_of(real, few), ErrorCode::too_many_windows);
}

}  // namespace
}  // namespace soundlens
