// Event detection on hand-made timelines and maps whose answer is known.
#include "events/detect.h"

#include <gtest/gtest.h>

#include <cmath>
#include <optional>

#include "core/error.h"

namespace soundlens {
namespace {

constexpr int kClasses = 4;
constexpr double kSpc = 0.32;

// Windows of `window` s every `hop` s over `duration` s; probability of class
// `c` in a window from `p(start, end)`.
template <class F>
std::vector<TimelineWindow> timeline(double duration, double window, double hop, int c, F p) {
  std::vector<TimelineWindow> out;
  for (double start = 0;; start += hop) {
    const double end = std::min(duration, start + window);
    TimelineWindow w;
    w.start_s = end - start < window ? std::max(0.0, duration - window) : start;
    w.end_s = end;
    w.probabilities.assign(kClasses, 0.01f);
    w.probabilities[std::size_t(c)] = p(w.start_s, w.end_s);
    out.push_back(w);
    if (end >= duration) break;
  }
  return out;
}

// Fixed options, so that these tests do not move with the measured defaults.
EventOptions fixed() {
  EventOptions o;
  o.window_high = 0.3;
  o.window_low = 0.15;
  o.profile_high = 0.5;
  o.profile_low = 0.25;
  o.min_duration_s = 0.3;
  o.merge_gap_s = 0.5;
  o.band_fraction = 0.5;
  o.max_classes = 10;
  return o;
}

bool overlaps(double a0, double a1, double b0, double b1) { return a0 < b1 && a1 > b0; }

// A 4-row map over `duration` s with relevance `level` in row `row` over [t0, t1).
ClassProfile profile(int c, double duration, std::vector<std::tuple<double, double, float>> bumps, int row = 1) {
  CamMap cam;
  cam.class_index = c;
  cam.rows = 4;
  cam.cols = int(std::ceil(duration / kSpc));
  cam.seconds_per_column = kSpc;
  cam.mel_bins_per_row = 32;
  cam.values.assign(std::size_t(cam.rows) * cam.cols, 0.02f);
  for (auto [t0, t1, level] : bumps)
    for (int col = 0; col < cam.cols; ++col) {
      const double mid = (col + 0.5) * kSpc;
      if (mid >= t0 && mid < t1) cam.values[std::size_t(row) * cam.cols + col] = level;
    }
  return make_class_profile(cam, "class " + std::to_string(c), {0, 500, 1500, 4000, 15000});
}

TEST(DetectEvents, OneSoundInManyOverlappingWindowsIsOneEvent) {
  // A sound at 12.0-13.0 s: every 5 s window (1 s hop) that overlaps it scores it.
  const auto tl = timeline(30, 5, 1, 2, [](double s, double e) { return overlaps(s, e, 12, 13) ? 0.8f : 0.02f; });
  const std::vector<ClassProfile> profiles{profile(2, 30, {{12, 13, 1.0f}})};
  const auto r = detect_events(tl, profiles, 30, fixed());
  ASSERT_EQ(r.events.size(), 1u);
  const auto& e = r.events[0];
  EXPECT_EQ(e.index, 2);
  EXPECT_EQ(e.label, "class 2");
  EXPECT_NEAR(e.onset_s, 12, kSpc);
  EXPECT_NEAR(e.offset_s, 13, kSpc);
  EXPECT_FLOAT_EQ(e.probability, 0.8f);
  EXPECT_DOUBLE_EQ(e.low_hz, 500);  // row 1
  EXPECT_DOUBLE_EQ(e.high_hz, 1500);
  ASSERT_EQ(r.counts.size(), 1u);
  EXPECT_EQ(r.counts[0].count, 1);
  EXPECT_DOUBLE_EQ(r.counts[0].per_hour, 120);  // 1 in 30 s
}

TEST(DetectEvents, TwoSoundsInOneRegionAreTwoEventsUnlessCloserThanTheMergeGap) {
  const auto tl = timeline(30, 5, 1, 0, [](double s, double e) { return overlaps(s, e, 10, 16) ? 0.9f : 0.0f; });
  const std::vector<ClassProfile> apart{profile(0, 30, {{10, 11, 1.0f}, {14, 15, 0.9f}})};
  EXPECT_EQ(detect_events(tl, apart, 30, fixed()).events.size(), 2u);
  EventOptions wide = fixed();
  wide.merge_gap_s = 3.5;
  const auto merged = detect_events(tl, apart, 30, wide);
  ASSERT_EQ(merged.events.size(), 1u);
  EXPECT_NEAR(merged.events[0].onset_s, 10, kSpc);
  EXPECT_NEAR(merged.events[0].offset_s, 15, kSpc);
}

TEST(DetectEvents, RelevanceOutsideThePresentWindowsIsIgnored) {
  // The map also lights up at 25 s, but no window there scores the class.
  const auto tl = timeline(30, 5, 1, 1, [](double s, double e) { return overlaps(s, e, 3, 4) ? 0.6f : 0.05f; });
  const std::vector<ClassProfile> profiles{profile(1, 30, {{3, 4, 0.5f}, {25, 26, 1.0f}})};
  const auto r = detect_events(tl, profiles, 30, fixed());
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_NEAR(r.events[0].onset_s, 3, kSpc);
}

TEST(DetectEvents, WindowHysteresisExtendsPresentWindowsOverWeakerNeighbours) {
  // One strong window; its neighbours are between low and high; relevance sits in a neighbour only.
  std::vector<TimelineWindow> tl(3);
  for (int w = 0; w < 3; ++w) {
    tl[std::size_t(w)].start_s = 10.0 * w;
    tl[std::size_t(w)].end_s = 10.0 * w + 10;
    tl[std::size_t(w)].probabilities.assign(kClasses, 0.0f);
  }
  tl[0].probabilities[3] = 0.2f;
  tl[1].probabilities[3] = 0.5f;
  tl[2].probabilities[3] = 0.1f;  // below low: not extended
  const std::vector<ClassProfile> profiles{profile(3, 30, {{4, 5, 1.0f}, {14, 15, 1.0f}, {24, 25, 1.0f}})};
  const auto r = detect_events(tl, profiles, 30, fixed());
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_NEAR(r.events[0].onset_s, 4, kSpc);
  EXPECT_FLOAT_EQ(r.events[0].probability, 0.2f);  // the peak of the windows the event overlaps
  EXPECT_NEAR(r.events[1].onset_s, 14, kSpc);
  EventOptions strict = fixed();
  strict.window_low = 0.3;
  EXPECT_EQ(detect_events(tl, profiles, 30, strict).events.size(), 1u);
}

TEST(DetectEvents, ProfileHysteresisFollowsTheWeakerShoulders) {
  const auto tl = timeline(20, 5, 1, 0, [](double s, double e) { return overlaps(s, e, 8, 12) ? 0.9f : 0.0f; });
  // 8-9 s at 0.3 of the peak (shoulder), 9-10 s the peak, 10-11 s at 0.1 (below low).
  const std::vector<ClassProfile> profiles{profile(0, 20, {{8, 9, 0.3f}, {9, 10, 1.0f}, {10, 11, 0.1f}})};
  const auto r = detect_events(tl, profiles, 20, fixed());
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_NEAR(r.events[0].onset_s, 8, kSpc);
  EXPECT_NEAR(r.events[0].offset_s, 10, kSpc);
}

TEST(DetectEvents, ShortEventsAreDroppedByTheMinimumDuration) {
  const auto tl = timeline(20, 5, 1, 0, [](double s, double e) { return overlaps(s, e, 5, 6) ? 0.9f : 0.0f; });
  const std::vector<ClassProfile> profiles{profile(0, 20, {{5.2, 5.5, 1.0f}})};  // one column
  EXPECT_EQ(detect_events(tl, profiles, 20, fixed()).events.size(), 1u);
  EventOptions o = fixed();
  o.min_duration_s = 0.5;
  const auto r = detect_events(tl, profiles, 20, o);
  EXPECT_TRUE(r.events.empty());
  EXPECT_TRUE(r.counts.empty());
}

TEST(DetectEvents, AFlatMapGivesTheWholePresentRegion) {
  const auto tl = timeline(20, 5, 1, 0, [](double s, double e) { return overlaps(s, e, 10, 11) ? 0.9f : 0.0f; });
  auto p = profile(0, 20, {});
  std::fill(p.cells.begin(), p.cells.end(), 0.0f);
  const auto r = detect_events(tl, std::vector<ClassProfile>{p}, 20, fixed());
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_DOUBLE_EQ(r.events[0].onset_s, 6);  // windows 6-11 .. 10-15
  EXPECT_DOUBLE_EQ(r.events[0].offset_s, 15);
  EXPECT_DOUBLE_EQ(r.events[0].low_hz, 0);  // no relevance: the whole band
  EXPECT_DOUBLE_EQ(r.events[0].high_hz, 15000);
}

TEST(DetectEvents, BandGrowsTowardsTheMoreRelevantNeighbour) {
  const auto tl = timeline(10, 5, 1, 0, [](double, double) { return 0.9f; });
  auto p = profile(0, 10, {{2, 3, 1.0f}}, 2);  // row 2 strongest
  for (int col = 0; col < p.cols; ++col) {
    p.cells[std::size_t(0) * p.cols + col] = 0;
    p.cells[std::size_t(1) * p.cols + col] = 0.1f;
    p.cells[std::size_t(3) * p.cols + col] = (col + 0.5) * kSpc >= 2 && (col + 0.5) * kSpc < 3 ? 0.9f : 0.0f;
  }
  EventOptions o = fixed();
  o.band_fraction = 0.9;  // rows 2 and 3 hold 1.9 of 2.0 per column
  const auto r = detect_events(tl, std::vector<ClassProfile>{p}, 10, o);
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_DOUBLE_EQ(r.events[0].low_hz, 1500);
  EXPECT_DOUBLE_EQ(r.events[0].high_hz, 15000);
}

TEST(DetectEvents, PinnedClassesAreCountedEvenWithoutEvents) {
  const auto tl = timeline(1800, 10, 5, 0, [](double s, double e) {
    return overlaps(s, e, 100, 101) || overlaps(s, e, 500, 501) || overlaps(s, e, 900, 901) ? 0.7f : 0.0f;
  });
  auto pinned = profile(1, 1800, {});
  pinned.pinned = true;
  const std::vector<ClassProfile> profiles{profile(0, 1800, {{100, 101, 1.f}, {500, 501, 1.f}, {900, 901, 1.f}}),
                                           pinned};
  const auto r = detect_events(tl, profiles, 1800, fixed());
  EXPECT_EQ(r.events.size(), 3u);
  ASSERT_EQ(r.counts.size(), 2u);
  EXPECT_EQ(r.counts[0].index, 0);
  EXPECT_EQ(r.counts[0].count, 3);
  EXPECT_DOUBLE_EQ(r.counts[0].per_hour, 6);
  EXPECT_EQ(r.counts[1].index, 1);
  EXPECT_EQ(r.counts[1].count, 0);
}

TEST(DetectEvents, EventsAreOrderedByOnsetAcrossClasses) {
  auto tl = timeline(20, 5, 1, 0, [](double s, double e) { return overlaps(s, e, 12, 13) ? 0.9f : 0.0f; });
  for (auto& w : tl) w.probabilities[1] = overlaps(w.start_s, w.end_s, 3, 4) ? 0.9f : 0.0f;
  const std::vector<ClassProfile> profiles{profile(0, 20, {{12, 13, 1.f}}), profile(1, 20, {{3, 4, 1.f}})};
  const auto r = detect_events(tl, profiles, 20, fixed());
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_EQ(r.events[0].index, 1);
  EXPECT_EQ(r.events[1].index, 0);
}

TEST(DetectEvents, BadOptionsAndShapesAreRejected) {
  const auto tl = timeline(10, 5, 1, 0, [](double, double) { return 0.5f; });
  const std::vector<ClassProfile> ok{profile(0, 10, {})};
  auto code = [&](EventOptions o, std::vector<ClassProfile> p = {}, double duration = 10) -> std::optional<ErrorCode> {
    try {
      detect_events(tl, p.empty() ? ok : p, duration, o);
    } catch (const Error& e) {
      return e.code();
    }
    return std::nullopt;
  };
  EventOptions o = fixed();
  o.window_low = 0.5;
  o.window_high = 0.4;
  EXPECT_EQ(code(o), ErrorCode::bad_request);
  o = fixed();
  o.profile_high = 1.5;
  EXPECT_EQ(code(o), ErrorCode::bad_request);
  o = fixed();
  o.merge_gap_s = -1;
  EXPECT_EQ(code(o), ErrorCode::bad_request);
  o = fixed();
  o.band_fraction = 0;
  EXPECT_EQ(code(o), ErrorCode::bad_request);
  EXPECT_EQ(code({}, {}, 0), ErrorCode::bad_request);
  auto broken = profile(0, 10, {});
  broken.row_edges_hz.pop_back();
  EXPECT_EQ(code({}, {broken}), ErrorCode::internal);
  EXPECT_EQ(code({}), std::nullopt);
}

TEST(EventClasses, PinnedFirstThenTheStrongestUpToTheBound) {
  std::vector<TimelineWindow> tl(2);
  tl[0].probabilities = {0.9f, 0.2f, 0.4f, 0.35f};
  tl[1].probabilities = {0.1f, 0.25f, 0.5f, 0.0f};
  EventOptions o = fixed();
  const std::vector<int> pinned{1};
  EXPECT_EQ(event_classes(tl, pinned, o), (std::vector<int>{1, 0, 2, 3}));
  o.max_classes = 2;
  EXPECT_EQ(event_classes(tl, pinned, o), (std::vector<int>{1, 0, 2}));
  o.window_high = 0.45;
  EXPECT_EQ(event_classes(tl, {}, o), (std::vector<int>{0, 2}));
}

TEST(MelRowEdges, HalfwayBetweenTheBinsOfNeighbouringRows) {
  const std::vector<float> centres{100, 200, 300, 400, 500, 600, 700, 800};
  const auto edges = mel_row_edges_hz(centres, 2, 4);
  EXPECT_EQ(edges, (std::vector<double>{50, 250, 450, 650, 850}));
  const std::vector<float> low{10, 100, 200, 300};
  EXPECT_DOUBLE_EQ(mel_row_edges_hz(low, 2, 2).front(), 0);  // never below 0 Hz
  EXPECT_THROW(mel_row_edges_hz(centres, 2, 5), Error);
}

}  // namespace
}  // namespace soundlens

namespace soundlens {
namespace {

TEST(ProfilesFromAnalysis, OnePerExplanationWithPinnedMarked) {
  Analysis a;
  for (int c : {47, 49}) {
    Explanation e;
    e.target = {c, c == 47 ? "Cough" : "Sneeze", 0.5f};
    e.cam.class_index = c;
    e.cam.rows = 2;
    e.cam.cols = 3;
    e.cam.seconds_per_column = 0.32;
    e.cam.mel_bins_per_row = 2;
    e.cam.values = {0, 1, 0, 0, 0.5f, 0};
    a.explanations.push_back(e);
  }
  const std::vector<float> centres{100, 200, 300, 400};
  const std::vector<int> pinned{49};
  const auto p = profiles_from_analysis(a, centres, pinned);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].index, 47);
  EXPECT_FALSE(p[0].pinned);
  EXPECT_TRUE(p[1].pinned);
  EXPECT_EQ(p[1].label, "Sneeze");
  EXPECT_EQ(p[0].row_edges_hz, (std::vector<double>{50, 250, 450}));
  EXPECT_EQ(p[0].time_profile(), (std::vector<float>{0, 1.5f, 0}));
}

}  // namespace
}  // namespace soundlens
