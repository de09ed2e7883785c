// Events of the real models on real sounds (label model): stretches of the
// events-dev recordings around one known event (real clips over real
// backgrounds, truth.csv), and the metro clip. These pin behaviour on a few
// sounds, never the numbers of the whole evaluation (bench/events).
#include <gtest/gtest.h>

#include <sstream>

#include "analysis_events/analysis_events.h"
#include "analysis_events/fusion.h"
#include "model/model_registry.h"
#include "real_analyzers.h"
#include "test_paths.h"

namespace soundlens {
namespace {

const Analyzer& analyzer(const std::string& model) { return test::real_analyzer(model); }

// [from_s, to_s) of an events-dev recording.
Audio stretch(const std::string& file, double from_s, double to_s) {
  Audio whole = decode_file(test::shared_audio("events-dev/" + file));
  Audio out = whole;
  const auto a = std::size_t(from_s * whole.sample_rate), b = std::size_t(to_s * whole.sample_rate);
  out.samples.assign(whole.samples.begin() + long(a), whole.samples.begin() + long(b));
  return out;
}

struct Found {
  Analysis analysis;
  AnalysisEvents events;
};

// The default event windows (a pass of their own), or the analysis pass's own
// frames (one_pass).
AnalysisEventOptions one_pass() {
  AnalysisEventOptions o;
  o.window_s = 0;
  return o;
}

Found analyse(const std::string& model, const Audio& audio, const std::string& method = "gradcam", int top_k = 5,
              const AnalysisEventOptions& event_options = {}, const std::vector<std::string>& pinned = {}) {
  AnalysisOptions options;
  options.method = method;
  options.top_k = top_k;
  options.classes = pinned;
  ask_for_event_classes(options, analyzer(model), event_options);
  Found f;
  f.analysis = analyzer(model).analyze(audio, options);
  f.events = analysis_events(analyzer(model), audio, f.analysis, options, event_options);
  return f;
}

std::string listing(const std::vector<Event>& events) {
  std::ostringstream out;
  for (const auto& e : events) {
    out << "\n  " << e.label << " " << e.onset_s << "-" << e.offset_s << " p " << e.probability;
    for (const auto& a : e.alternatives) out << " (alt " << a.label << " " << a.probability << ")";
  }
  return out.str();
}

int count(const std::vector<Event>& events, int index) {
  int n = 0;
  for (const auto& e : events) n += e.index == index;
  return n;
}

bool overlaps(const Event& e, double from_s, double to_s) { return e.onset_s < to_s && e.offset_s > from_s; }

// dev_3.flac holds a cough at 46.054-47.534 s, alone over rain and forest for 9 s each side.
TEST(EventsOnClips, OneCoughIsOneCoughEvent) {
  const Audio audio = stretch("dev_3.flac", 41, 52);  // the cough at 5.054-6.534 s
  for (const char* model : {"mn04_as", "yamnet"}) {
    const auto f = analyse(model, audio);
    const auto& events = f.events.result.events;
    EXPECT_EQ(count(events, 47), 1) << model << listing(events);
    for (const auto& e : events)
      if (e.index == 47) {
        EXPECT_TRUE(overlaps(e, 5.054 - 0.5, 6.534 + 0.5)) << model << listing(events);
        EXPECT_NEAR(e.onset_s, 5.054, 0.5) << model << listing(events);
      }
    bool counted = false;
    for (const auto& c : f.events.result.counts)
      if (c.index == 47) {
        counted = true;
        EXPECT_EQ(c.count, 1);
        EXPECT_NEAR(c.per_hour, 3600.0 / 11.0, 1.0);
      }
    EXPECT_TRUE(counted) << model;
  }
}

// dev_0.flac: laughter at 24.462-25.782 s over forest. mn04_as hears Speech
// on laughter elsewhere; here no Speech event lands on it, with the default
// event windows or the analysis pass's own. (mn04_as misses this laughter
// itself, asked for or not: its windows give Laughter 0.005. Issue 19.)
TEST(EventsOnClips, LaughterIsNotCountedAsSpeech) {
  const Audio audio = stretch("dev_0.flac", 20, 30);  // the laughter at 4.462-5.782 s
  for (const auto& mode : {AnalysisEventOptions{}, one_pass()}) {
    const auto f = analyse("mn04_as", audio, "gradcam", 5, mode);
    const auto& events = f.events.result.events;
    EXPECT_FALSE(events.empty()) << "the birds and animals of the background";
    for (const auto& e : events)
      EXPECT_FALSE(e.index == 0 && overlaps(e, 4.462, 5.782)) << mode.window_s << listing(events);
  }
}

// The method of the maps is the maps' only: events come from the pass's own
// evidence, so integrated gradients gives the same events as Grad-CAM and
// explains only the top class asked for (before: every event class too).
TEST(EventsOnClips, TheMapMethodChangesNeitherTheEventsNorWhatIsExplained) {
  const Audio audio = decode_file(test::shared_audio("example/metro_station-paris.wav"));
  const auto cam = analyse("mn04_as", audio, "gradcam", 1, one_pass());
  const auto ig = analyse("mn04_as", audio, "integrated-gradients", 1, one_pass());
  EXPECT_EQ(ig.analysis.explanations.size(), 1u);
  ASSERT_EQ(cam.events.result.events.size(), ig.events.result.events.size());
  for (std::size_t i = 0; i < cam.events.result.events.size(); ++i) {
    EXPECT_EQ(cam.events.result.events[i].index, ig.events.result.events[i].index);
    EXPECT_DOUBLE_EQ(cam.events.result.events[i].onset_s, ig.events.result.events[i].onset_s);
  }
  EXPECT_FALSE(cam.events.result.events.empty()) << "the metro clip has trains";
  // Frame evidence at the last block's column resolution: 0.32 s, the whole clip.
  EXPECT_NEAR(cam.analysis.frames.seconds_per_frame, 0.32, 1e-9);
  EXPECT_EQ(cam.analysis.frames.frames(), 32);
}

// A fused analysis: each event says what each model heard.
TEST(EventsOnClips, FusedEventsSayWhichModelSupportsThem) {
  const Audio audio = stretch("dev_3.flac", 41, 52);
  const auto a = analyse("mn04_as", audio, "gradcam", 5, one_pass()), b = analyse("yamnet", audio, "gradcam", 5, one_pass());
  const auto r = fused_events({&analyzer("mn04_as"), &a.analysis.frames}, {&analyzer("yamnet"), &b.analysis.frames},
                              a.analysis.duration_s, {});
  EXPECT_EQ(count(r.events, 47), 1) << listing(r.events);
  for (const auto& e : r.events) {
    ASSERT_EQ(e.models.size(), 2u);
    EXPECT_EQ(e.models[0].model, "mn04_as");
    EXPECT_EQ(e.models[1].model, "yamnet");
    EXPECT_TRUE(e.models[0].supports || e.models[1].supports) << e.label;
    // The max rule: the event's probability is the more confident model's.
    EXPECT_NEAR(e.probability, std::max(e.models[0].probability, e.models[1].probability), 1e-6) << e.label;
  }
}

}  // namespace
}  // namespace soundlens
