// Events from frame evidence on evidence written by hand: hysteresis, gaps,
// minimum duration, one event per sound among related classes, counts, and
// the tables of data/ compiled in.
#include <gtest/gtest.h>

#include <optional>

#include "core/error.h"
#include "events/frame_events.h"
#include "events/thresholds.h"

namespace soundlens {
namespace {

constexpr double kSpf = 0.32;

// `frames` columns of `classes` classes at 0.01, with runs of given values.
struct Evidence {
  int classes = 4;
  std::vector<float> p;
  explicit Evidence(int frames, int classes_ = 4) : classes(classes_), p(std::size_t(frames * classes_), 0.01f) {}
  Evidence& set(int c, int first, std::vector<float> values) {
    for (std::size_t i = 0; i < values.size(); ++i) p[(first + i) * std::size_t(classes) + std::size_t(c)] = values[i];
    return *this;
  }
  ClassFrames view() const { return {kSpf, classes, p}; }
};

FrameEventOptions rules(std::vector<ClassRule> r) {
  FrameEventOptions o;
  o.rules = std::move(r);
  o.other_threshold = 0.9;
  o.other_low = 0.9;
  o.min_duration_s = 0.3;
  o.merge_gap_s = 0.0;
  return o;
}

const std::vector<std::string> kLabels{"Speech", "Laughter", "Cough", "Throat clearing"};

TEST(FrameEvents, HysteresisPlacesOnsetAndOffsetAtTheFrames) {
  Evidence e(40);
  e.set(2, 10, {0.2f, 0.6f, 0.9f, 0.4f, 0.25f, 0.1f});  // frames 10-14 at or above the low 0.2
  const auto r = detect_frame_events(e.view(), rules({{2, 0.5, 0.2}}), {}, kLabels);
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_NEAR(r.events[0].onset_s, 10 * kSpf, 1e-9);
  EXPECT_NEAR(r.events[0].offset_s, 15 * kSpf, 1e-9);
  EXPECT_FLOAT_EQ(r.events[0].probability, 0.9f);
  EXPECT_EQ(r.events[0].label, "Cough");
  // Below the threshold everywhere: nothing, however long.
  Evidence low(40);
  low.set(2, 5, std::vector<float>(20, 0.45f));
  EXPECT_TRUE(detect_frame_events(low.view(), rules({{2, 0.5, 0.2}}), {}, kLabels).events.empty());
}

TEST(FrameEvents, APinnedClassKeepsItsEventOverARelatedOneFurtherOverItsThreshold) {
  // Cough (2) and Throat clearing (3) on the same frames; Throat clearing is further over its own threshold.
  Evidence e(20);
  e.set(2, 4, {0.6f, 0.6f}).set(3, 4, {0.9f, 0.9f});
  auto o = rules({{2, 0.5, 0.3}, {3, 0.1, 0.05}});
  o.related = {{2, 3}};
  auto r = detect_frame_events(e.view(), o, {}, kLabels);
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].label, "Throat clearing");
  const std::vector<int> cough{2};
  r = detect_frame_events(e.view(), o, cough, kLabels);
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].label, "Cough");
  ASSERT_EQ(r.events[0].alternatives.size(), 1u);
  EXPECT_EQ(r.events[0].alternatives[0].label, "Throat clearing");
}

TEST(FrameEvents, FramesPlaceEventsOnlyWhereTheWindowsHearTheClass) {
  // Frames sure of Cough (class 2) twice and of Laughter (1) once; the windows (4 s each) hear Cough
  // only in the first, and Laughter nowhere above the high mark.
  Evidence e(40);
  e.set(2, 2, {0.9f, 0.9f}).set(2, 20, {0.9f, 0.9f}).set(1, 5, {0.95f, 0.95f});
  std::vector<float> first(4, 0.01f), second(4, 0.01f);
  first[2] = 0.4f;    // Cough heard in 0-4 s
  first[1] = 0.12f;   // Laughter at the low mark only, never at the high one
  second[2] = 0.05f;  // Cough not heard in 4-12.8 s
  const std::vector<WindowProbabilities> windows{{0, 4, first}, {4, 12.8, second}};
  auto o = rules({{2, 0.5, 0.2}});
  o.other_threshold = 0.5;
  o.other_low = 0.3;
  o.present = window_presence(windows, kSpf, 40, 4, 0.15, 0.1);
  const auto r = detect_frame_events(e.view(), o, {}, kLabels);
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].label, "Cough");
  EXPECT_NEAR(r.events[0].onset_s, 2 * kSpf, 1e-9);
  // Without the windows' say, the frames alone place all three.
  o.present.clear();
  EXPECT_EQ(detect_frame_events(e.view(), o, {}, kLabels).events.size(), 3u);
  // A presence that does not cover the frames is a caller's bug.
  o.present.assign(7, 1);
  EXPECT_THROW(detect_frame_events(e.view(), o, {}, kLabels), Error);
}

TEST(FrameEvents, ShortGapsAreBridgedAndShortRunsDropped) {
  Evidence e(60);
  e.set(2, 10, {0.8f, 0.8f}).set(2, 13, {0.8f, 0.8f});  // one frame apart
  e.set(2, 40, {0.8f});                                 // a single frame, 0.32 s
  auto o = rules({{2, 0.5, 0.3}});
  EXPECT_EQ(detect_frame_events(e.view(), o, {}, kLabels).events.size(), 3u);
  o.merge_gap_s = 0.32;
  auto r = detect_frame_events(e.view(), o, {}, kLabels);
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_NEAR(r.events[0].offset_s, 15 * kSpf, 1e-9);
  o.min_duration_s = 0.6;
  r = detect_frame_events(e.view(), o, {}, kLabels);
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_NEAR(r.events[0].onset_s, 10 * kSpf, 1e-9);
}

TEST(FrameEvents, RelatedClassesOverOneSoundAreOneEventWithTheRunnerUpAsAlternative) {
  Evidence e(40);
  e.set(0, 10, {0.6f, 0.7f, 0.6f});        // Speech, threshold 0.5: 1.4 times it
  e.set(1, 10, {0.5f, 0.5f, 0.4f, 0.3f});  // Laughter, threshold 0.2: 2.5 times it
  e.set(0, 30, {0.8f, 0.8f});              // Speech alone later
  auto o = rules({{0, 0.5, 0.3}, {1, 0.2, 0.1}});
  o.related = {{1, 0}};
  const auto r = detect_frame_events(e.view(), o, {}, kLabels);
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_EQ(r.events[0].label, "Laughter");
  ASSERT_EQ(r.events[0].alternatives.size(), 1u);
  EXPECT_EQ(r.events[0].alternatives[0].label, "Speech");
  EXPECT_FLOAT_EQ(r.events[0].alternatives[0].probability, 0.7f);
  EXPECT_EQ(r.events[1].label, "Speech");
  EXPECT_TRUE(r.events[1].alternatives.empty());
  // Not related: both stay.
  o.related.clear();
  EXPECT_EQ(detect_frame_events(e.view(), o, {}, kLabels).events.size(), 3u);
}

TEST(FrameEvents, CountsPerClassWithTheRatePerHourAndPinnedClassesAtZero) {
  Evidence e(100);
  for (int f : {5, 30, 60}) e.set(2, f, {0.9f, 0.9f});
  const std::vector<int> pinned{3};
  const auto r = detect_frame_events(e.view(), rules({{2, 0.5, 0.3}}), pinned, kLabels);
  ASSERT_EQ(r.counts.size(), 2u);
  EXPECT_EQ(r.counts[0].label, "Cough");
  EXPECT_EQ(r.counts[0].count, 3);
  EXPECT_NEAR(r.counts[0].per_hour, 3 * 3600.0 / (100 * kSpf), 1e-9);
  EXPECT_EQ(r.counts[1].label, "Throat clearing");
  EXPECT_EQ(r.counts[1].count, 0);
  EXPECT_NEAR(count_events(r.events, pinned, kLabels, 3600)[0].per_hour, 3.0, 1e-12);
}

TEST(FrameEvents, ClassesWithoutARuleNeedTheOtherThresholdAndAreCapped) {
  Evidence e(30, 6);
  for (int c = 0; c < 6; ++c) e.set(c, 5, {0.6f + 0.05f * c, 0.6f + 0.05f * c});
  auto o = rules({});
  o.other_threshold = 0.5;
  o.other_low = 0.4;
  o.max_other_classes = 2;
  const auto r = detect_frame_events(e.view(), o, {}, {});
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_EQ(r.events[0].index, 4);  // the two most probable, by onset then index
  EXPECT_EQ(r.events[1].index, 5);
}

TEST(FrameEvents, BadOptionsAndShapesAreRefused) {
  Evidence e(10);
  auto code = [&](FrameEventOptions o, ClassFrames f) -> std::optional<ErrorCode> {
    try {
      detect_frame_events(f, o, {}, kLabels);
    } catch (const Error& err) {
      return err.code();
    }
    return std::nullopt;
  };
  EXPECT_EQ(code(rules({{2, 0.3, 0.5}}), e.view()), ErrorCode::bad_request);  // low above threshold
  EXPECT_EQ(code(rules({{9, 0.5, 0.3}}), e.view()), ErrorCode::bad_request);  // no such class
  auto o = rules({});
  o.merge_gap_s = -1;
  EXPECT_EQ(code(o, e.view()), ErrorCode::bad_request);
  const std::vector<float> ragged(7, 0.1f);
  EXPECT_EQ(code(rules({}), {kSpf, 4, ragged}), ErrorCode::internal);
  EXPECT_EQ(code(rules({}), e.view()), std::nullopt);
}

TEST(EventTables, RowsParseAndMalformedRowsNameTheTableAndLine) {
  const auto r = parse_class_rules("# comment\nindex,label,threshold,low\n47,Cough,0.3,0.15,0.9\n", "t.csv");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].index, 47);
  EXPECT_DOUBLE_EQ(r[0].threshold, 0.3);
  EXPECT_DOUBLE_EQ(r[0].low, 0.15);
  try {
    parse_class_rules("index,label,threshold,low\n47,Cough,0.3x,0.1\n", "t.csv");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::internal);
    EXPECT_NE(std::string(e.what()).find("t.csv line 2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_class_rules("47,Cough,0.3,0.5\n", "t.csv"), Error);  // low above threshold
  EXPECT_EQ(parse_related_classes("0,Speech,16,Laughter,near\n", "r.csv"), (std::vector<std::pair<int, int>>{{0, 16}}));
}

// The tables of data/ are compiled in: each model's calibrated classes, and
// Cough over Throat clearing, Speech and Laughter among the related pairs.
TEST(EventTables, TheCalibratedTablesAreCompiledIn) {
  for (const char* model : {"mn04_as", "yamnet", "fused"}) {
    const auto r = model_class_rules(model);
    EXPECT_GE(r.size(), 6u) << model;
    bool cough = false;
    for (const auto& rule : r) cough |= rule.index == 47;
    EXPECT_TRUE(cough) << model;
  }
  EXPECT_TRUE(model_class_rules("no_such_model").empty());
  const auto& related = related_classes();
  auto has = [&](int a, int b) {
    for (auto [x, y] : related)
      if ((x == a && y == b) || (x == b && y == a)) return true;
    return false;
  };
  EXPECT_TRUE(has(47, 48));
  EXPECT_TRUE(has(0, 16));
  EXPECT_FALSE(has(47, 16));
}

}  // namespace
}  // namespace soundlens
