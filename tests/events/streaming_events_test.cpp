// The incremental detector against the offline one: on random but sound-like
// evidence (smooth random walks per class, windows' presence switched on and
// off), pushing the frames one by one gives exactly detect_frame_events'
// events, whatever the rules, gaps, related classes and pinned classes; and
// its own contract (start lines before end lines, bad frames refused).
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/error.h"
#include "events/frame_events.h"
#include "events/streaming_events.h"

namespace soundlens {
namespace {

constexpr double kSpf = 0.32;

struct Case {
  int frames = 0, classes = 0;
  std::vector<float> p;
  std::vector<float> columns;  // each column's own evidence (half the cases), events narrowed to it
  std::vector<char> present;
  FrameEventOptions options;
  std::vector<int> pinned;
  std::vector<std::string> labels;
};

Case random_case(unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(0, 1);
  Case k;
  k.classes = 8;
  k.frames = 40 + int(rng() % 200);
  k.p.resize(std::size_t(k.frames * k.classes));
  k.present.resize(k.p.size());
  for (int c = 0; c < k.classes; ++c) {
    float x = u(rng);
    bool on = true;
    for (int t = 0; t < k.frames; ++t) {
      x = std::clamp(x + (u(rng) - 0.5f) * 0.5f, 0.0f, 1.0f);
      if (u(rng) < 0.05f) on = !on;
      k.p[std::size_t(t * k.classes + c)] = (c == 7 && t % 17 == 3) ? NAN : x;
      k.present[std::size_t(t * k.classes + c)] = char(on || seed % 3 == 0);
    }
  }
  if (seed % 4 < 2) {
    k.columns.resize(k.p.size());
    for (auto& v : k.columns) v = u(rng);
    k.columns[std::size_t(k.classes + 7)] = NAN;
    k.options.onset_fraction = 0.2 + 0.6 * u(rng);
  }
  k.options.rules = {{0, 0.6, 0.3}, {2, 0.45, 0.2}, {5, 0.7, 0.5}};
  k.options.other_threshold = 0.55 + 0.3f * u(rng);
  k.options.other_low = k.options.other_threshold * u(rng);
  k.options.max_other_classes = 10;  // more than the classes without a rule: offline places them all
  k.options.min_duration_s = (seed % 4) * 0.3;
  k.options.merge_gap_s = (seed % 5) * 0.32;
  k.options.related = {{0, 1}, {1, 2}, {3, 4}, {6, 7}, {0, 6}};
  k.options.low_hz = 50, k.options.high_hz = 14000;
  if (seed % 2) k.pinned = {int(seed % 8)};
  for (int c = 0; c < k.classes; ++c) k.labels.push_back("class " + std::to_string(c));
  return k;
}

std::string text(const Event& e) {
  std::string s = std::to_string(e.index) + " " + std::to_string(e.onset_s) + "-" + std::to_string(e.offset_s) + " p" +
                  std::to_string(e.probability) + " [";
  for (const auto& a : e.alternatives) s += std::to_string(a.index) + ":" + std::to_string(a.probability) + " ";
  return s + "]";
}

TEST(StreamingEvents, GivesTheOfflineEventsFrameByFrame) {
  int compared = 0;
  for (unsigned seed = 1; seed <= 400; ++seed) {
    Case k = random_case(seed);
    FrameEventOptions offline = k.options;
    offline.present = k.present;
    const EventResult want = detect_frame_events({kSpf, k.classes, k.p, k.columns}, offline, k.pinned, k.labels);
    StreamingEvents live(k.options, kSpf, k.classes, k.pinned, k.labels);
    const auto row = [&](const auto& v, int t) {
      return v.empty() ? std::span<const std::decay_t<decltype(v[0])>>()
                       : std::span(v).subspan(std::size_t(t * k.classes), std::size_t(k.classes));
    };
    StreamedEventsOut out;
    std::vector<StreamedEvent> ended;
    std::vector<int> started_at;  // frame at which each start line came
    for (int t = 0; t < k.frames; ++t) {
      live.push(row(k.p, t), row(k.present, t), out, row(k.columns, t));
      for (const auto& e : out.started) EXPECT_LE(e.event.onset_s, (t + 1) * kSpf + 1e-9);
      // An event ends in a line only once the frames after it are in.
      for (const auto& e : out.ended) EXPECT_LE(e.event.offset_s, (t + 1) * kSpf + 1e-9) << seed;
      ended.insert(ended.end(), out.ended.begin(), out.ended.end());
      out = {};
    }
    live.finish(k.frames * kSpf, out);
    ended.insert(ended.end(), out.ended.begin(), out.ended.end());
    std::stable_sort(ended.begin(), ended.end(), [](const StreamedEvent& a, const StreamedEvent& b) {
      return a.event.onset_s != b.event.onset_s ? a.event.onset_s < b.event.onset_s : a.event.index < b.event.index;
    });
    ASSERT_EQ(ended.size(), want.events.size()) << "seed " << seed;
    for (std::size_t i = 0; i < ended.size(); ++i) {
      EXPECT_EQ(text(ended[i].event), text(want.events[i])) << "seed " << seed;
      EXPECT_EQ(ended[i].event.label, want.events[i].label);
      EXPECT_EQ(ended[i].event.low_hz, 50);
      EXPECT_GE(ended[i].peak_s, ended[i].event.onset_s - 1e-9);
      EXPECT_LT(ended[i].peak_s, ended[i].event.offset_s);
    }
    const auto counts = live.counts(k.frames * kSpf);
    ASSERT_EQ(counts.size(), want.counts.size()) << seed;
    for (std::size_t i = 0; i < counts.size(); ++i) EXPECT_EQ(counts[i].count, want.counts[i].count);
    compared += int(ended.size());
  }
  EXPECT_GT(compared, 400);  // the cases do hold events
}

// A recording read once (Settle::at_the_end): nothing comes out before
// finish(), and then exactly detect_frame_events' events, including its cap on
// the classes without a rule (the most probable max_other_classes), which the
// live mode cannot apply; the end clipped as events_from_frames clips it.
TEST(StreamingEvents, AtTheEndGivesExactlyTheOfflineEventsWithTheOtherClassesCapped) {
  int compared = 0, capped = 0;
  for (unsigned seed = 1; seed <= 400; ++seed) {
    Case k = random_case(seed);
    k.options.max_other_classes = int(seed % 4);  // 5 classes have no rule: the cap binds
    k.options.present = {};
    FrameEventOptions offline = k.options;
    offline.present = k.present;
    const double duration_s = (k.frames - 0.5) * kSpf;  // the last frame reaches past the end
    EventResult want = detect_frame_events({kSpf, k.classes, k.p, k.columns}, offline, k.pinned, k.labels);
    std::erase_if(want.events, [&](const Event& e) { return e.onset_s >= duration_s; });
    for (auto& e : want.events) e.offset_s = std::min(e.offset_s, duration_s);
    want.counts = count_events(want.events, k.pinned, k.labels, duration_s);
    StreamingEvents once(k.options, kSpf, k.classes, k.pinned, k.labels, StreamingEvents::Settle::at_the_end);
    const auto row = [&](const auto& v, int t) {
      return v.empty() ? std::span<const std::decay_t<decltype(v[0])>>()
                       : std::span(v).subspan(std::size_t(t * k.classes), std::size_t(k.classes));
    };
    StreamedEventsOut out;
    for (int t = 0; t < k.frames; ++t) {
      once.push(row(k.p, t), row(k.present, t), out, row(k.columns, t));
      ASSERT_TRUE(out.started.empty() && out.ended.empty()) << "seed " << seed << " frame " << t;
    }
    once.finish(duration_s, out);
    ASSERT_EQ(out.ended.size(), want.events.size()) << "seed " << seed;
    for (std::size_t i = 0; i < out.ended.size(); ++i) {
      EXPECT_EQ(text(out.ended[i].event), text(want.events[i])) << "seed " << seed;
      EXPECT_GE(out.ended[i].peak_s, out.ended[i].event.onset_s - 1e-9);
    }
    const auto counts = once.counts(duration_s);
    ASSERT_EQ(counts.size(), want.counts.size()) << seed;
    for (std::size_t i = 0; i < counts.size(); ++i) {
      EXPECT_EQ(counts[i].index, want.counts[i].index);
      EXPECT_EQ(counts[i].count, want.counts[i].count);
    }
    compared += int(out.ended.size());
    capped += once.other_classes_heard() > k.options.max_other_classes;
  }
  EXPECT_GT(compared, 300);
  EXPECT_GT(capped, 50);  // the cap did bind in many cases
}

TEST(StreamingEvents, AStartLineComesAsSoonAsTheRunIsLongEnough) {
  FrameEventOptions o;
  o.rules = {{0, 0.5, 0.3}};
  o.other_threshold = 0.99, o.other_low = 0.99;
  o.min_duration_s = 0.6;  // two frames
  o.merge_gap_s = 0;
  StreamingEvents live(o, kSpf, 2, {}, {"a", "b"});
  StreamedEventsOut out;
  const float frames[][2] = {{0.1f, 0}, {0.4f, 0}, {0.9f, 0}, {0.2f, 0}, {0.1f, 0}};
  std::vector<std::size_t> starts, ends;
  for (const auto& f : frames) {
    live.push(f, {}, out);
    starts.push_back(out.started.size());
    ends.push_back(out.ended.size());
    out = {};
  }
  // Frame 1 (0.4) joins the run when frame 2 reaches the threshold: two frames, a start at once.
  EXPECT_EQ(starts, (std::vector<std::size_t>{0, 0, 1, 0, 0}));
  EXPECT_EQ(ends, (std::vector<std::size_t>{0, 0, 0, 1, 0}));
}

TEST(StreamingEvents, AnEventEndsAsSoonAsNoRelatedClassCanJoinIt) {
  FrameEventOptions o;
  o.rules = {{0, 0.5, 0.3}, {1, 0.5, 0.3}, {2, 0.5, 0.3}};
  o.other_threshold = 0.99, o.other_low = 0.99;
  o.min_duration_s = 0, o.merge_gap_s = 0;
  o.related = {{0, 2}};
  StreamingEvents live(o, kSpf, 3, {}, {"a", "b", "c"});
  StreamedEventsOut out;
  int ended_at = -1;
  for (int t = 0; t < 40; ++t) {
    // Class 0: an event on frames 2-3. Class 1 (unrelated): a long run at its low level that never
    // becomes an event. Class 2 (related to 0): at its low level from frame 10 on.
    const float p[3] = {t == 2 || t == 3 ? 0.9f : 0.0f, 0.4f, t >= 10 ? 0.4f : 0.0f};
    live.push(p, {}, out);
    if (!out.ended.empty() && ended_at < 0) ended_at = t;
    out = {};
  }
  // Known at frame 4 (the first below low): neither class 1's run nor class 2's later one can join it.
  EXPECT_EQ(ended_at, 4);
}

TEST(StreamingEvents, AnEventWaitsForARelatedRunThatMayStillJoinIt) {
  FrameEventOptions o;
  o.rules = {{0, 0.5, 0.3}, {2, 0.5, 0.3}};
  o.other_threshold = 0.99, o.other_low = 0.99;
  o.min_duration_s = 0, o.merge_gap_s = 0;
  o.related = {{0, 2}};
  StreamingEvents live(o, kSpf, 3, {}, {"a", "b", "c"});
  StreamedEventsOut out;
  std::vector<StreamedEvent> ended;
  int ended_at = -1;
  for (int t = 0; t < 20; ++t) {
    // Class 2 at its low level from frame 1 and over its threshold at frame 8: its event starts at
    // frame 1 and overlaps class 0's (frames 2-3), which must wait to be resolved with it.
    const float p[3] = {t == 2 || t == 3 ? 0.9f : 0.0f, 0, t >= 1 && t <= 9 ? (t == 8 ? 0.95f : 0.4f) : 0.0f};
    live.push(p, {}, out);
    if (!out.ended.empty() && ended_at < 0) ended_at = t;
    ended.insert(ended.end(), out.ended.begin(), out.ended.end());
    out = {};
  }
  EXPECT_EQ(ended_at, 10);
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].event.index, 2);  // 0.95 / 0.5 over 0.9 / 0.5
  ASSERT_EQ(ended[0].event.alternatives.size(), 1u);
  EXPECT_EQ(ended[0].event.alternatives[0].index, 0);
}

// Early ends (end_on_quiet_columns): class 0's pooled evidence is up on frames 2-13 (a window's
// judgement outlasts the sound); its own columns are up on frames 2-4 only, then again on 11-12
// when `second_sound`.
struct EarlyEnds {
  std::vector<StreamedEvent> ended;
  std::vector<int> ended_at;  // the frame each end line came on
};

EarlyEnds early_ends(bool early, bool second_sound) {
  FrameEventOptions o;
  o.rules = {{0, 0.5, 0.3}};
  o.other_threshold = 0.99, o.other_low = 0.99;
  o.min_duration_s = 0.3, o.merge_gap_s = 0.6;  // a gap of one frame
  o.onset_fraction = 0.35;
  StreamingEvents live(o, kSpf, 2, {}, {"a", "b"});
  if (early) live.end_on_quiet_columns();
  StreamedEventsOut out;
  EarlyEnds r;
  for (int t = 0; t < 20; ++t) {
    const float p[2] = {t >= 2 && t <= 13 ? 0.8f : 0.0f, 0};
    const bool column_up = (t >= 2 && t <= 4) || (second_sound && (t == 11 || t == 12));
    const float columns[2] = {column_up ? (t == 3 ? 0.9f : 0.6f) : 0.05f, 0};
    live.push(p, {}, out, columns);
    for (const auto& e : out.ended) r.ended.push_back(e), r.ended_at.push_back(t);
    out = {};
  }
  return r;
}

TEST(StreamingEvents, EarlyEndsComeOnceTheColumnsHaveBeenQuietLongerThanTheGap) {
  const EarlyEnds late = early_ends(false, false);
  ASSERT_EQ(late.ended.size(), 1u);
  EXPECT_EQ(late.ended_at[0], 15);  // the pooled run ends at 14, the gap passes at 15
  const EarlyEnds early = early_ends(true, false);
  ASSERT_EQ(early.ended.size(), 1u);
  EXPECT_EQ(early.ended_at[0], 6);  // columns 5 and 6 quiet: more than the one frame of gap
  // The same event: narrowed to the columns 2-4 either way.
  EXPECT_DOUBLE_EQ(early.ended[0].event.onset_s, late.ended[0].event.onset_s);
  EXPECT_DOUBLE_EQ(early.ended[0].event.offset_s, late.ended[0].event.offset_s);
  EXPECT_NEAR(early.ended[0].event.offset_s, 5 * kSpf, 1e-9);
}

TEST(StreamingEvents, AfterAnEarlyEndOnlyColumnsComingBackMakeAnotherEventOfThatRun) {
  // Offline, one event narrowed to columns 2-12; early, two: the second from frame 11, where its
  // columns come back, ended once they are quiet again.
  const EarlyEnds late = early_ends(false, true);
  ASSERT_EQ(late.ended.size(), 1u);
  EXPECT_NEAR(late.ended[0].event.offset_s, 13 * kSpf, 1e-9);
  const EarlyEnds early = early_ends(true, true);
  ASSERT_EQ(early.ended.size(), 2u);
  EXPECT_EQ(early.ended_at[0], 6);
  EXPECT_NEAR(early.ended[1].event.onset_s, 11 * kSpf, 1e-9);
  EXPECT_NEAR(early.ended[1].event.offset_s, 13 * kSpf, 1e-9);
  EXPECT_EQ(early.ended_at[1], 14);  // the pooled run ends at 14: the event closes as before
}

TEST(StreamingEvents, EarlyEndsNeedTheColumnsFraction) {
  FrameEventOptions o;
  StreamingEvents live(o, kSpf, 2, {}, {"a", "b"});
  EXPECT_THROW(live.end_on_quiet_columns(), Error);
}

TEST(StreamingEvents, RefusesFramesOfTheWrongSizeAndBadOptions) {
  FrameEventOptions o;
  StreamingEvents live(o, kSpf, 3, {}, {});
  StreamedEventsOut out;
  const float two[2] = {0, 0};
  EXPECT_THROW(live.push(two, {}, out), Error);
  const float three[3] = {0, 0, 0};
  const char presence[2] = {1, 1};
  EXPECT_THROW(live.push(three, presence, out), Error);
  FrameEventOptions bad;
  bad.other_low = 0.9, bad.other_threshold = 0.5;
  try {
    StreamingEvents refused(bad, kSpf, 3, {}, {});
    FAIL() << "low above high accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::bad_request);
  }
  EXPECT_THROW(StreamingEvents(o, 0, 3, {}, {}), Error);
}

}  // namespace
}  // namespace soundlens
