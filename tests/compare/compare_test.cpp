// The comparison on made-up analyses whose answers are known by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "compare/compare.h"
#include "compare/compare_json.h"
#include "compare/compare_stored.h"
#include "analysis/analysis_json.h"
#include "events/events_json.h"
#include "core/error.h"

namespace soundlens {
namespace {

Event event(int index, double onset, double offset) {
  Event e;
  e.index = index;
  e.label = "class " + std::to_string(index);
  e.onset_s = onset;
  e.offset_s = offset;
  e.probability = 0.5f;
  return e;
}

// A map of `rows` identical rows whose time profile is `profile` * rows.
CamMap map_with_profile(int index, const std::vector<float>& profile, double seconds_per_column, int rows = 2) {
  CamMap m;
  m.class_index = index;
  m.rows = rows;
  m.cols = int(profile.size());
  m.seconds_per_column = seconds_per_column;
  for (int r = 0; r < rows; ++r) m.values.insert(m.values.end(), profile.begin(), profile.end());
  return m;
}

TEST(Pearson, KnownValues) {
  const std::vector<double> x{1, 2, 3, 4, 5};
  EXPECT_NEAR(*pearson(x, std::vector<double>{2, 4, 6, 8, 10}), 1.0, 1e-12);
  EXPECT_NEAR(*pearson(x, std::vector<double>{5, 4, 3, 2, 1}), -1.0, 1e-12);
  // By hand: mean y = 3.2, sum (x-3)(y-3.2) = 6, sum (x-3)^2 = 10, sum (y-3.2)^2 = 6.8 -> 6 / sqrt(68).
  EXPECT_NEAR(*pearson(x, std::vector<double>{2, 3, 2, 5, 4}), 6 / std::sqrt(68.0), 1e-12);
  EXPECT_FALSE(pearson(x, std::vector<double>{3, 3, 3, 3, 3}));  // undefined, not 0
  EXPECT_FALSE(pearson(std::vector<double>{1}, std::vector<double>{1}));
  EXPECT_FALSE(pearson(x, std::vector<double>{1, 2}));
}

TEST(Profile, SumsRowsAndResamplesLinearlyBetweenColumnCentres) {
  const auto m = map_with_profile(0, {0, 1, 0.5f}, 1.0, 3);
  EXPECT_EQ(time_profile(m), (std::vector<double>{0, 3, 1.5}));
  // Centres at 0.5, 1.5, 2.5 s; held beyond them.
  const std::vector<double> times{0.0, 0.5, 1.0, 1.5, 2.25, 2.5, 3.0};
  const auto r = resample_profile(time_profile(m), 1.0, times);
  const std::vector<double> expected{0, 0, 1.5, 3, 3 - 0.75 * 1.5, 1.5, 1.5};
  ASSERT_EQ(r.size(), expected.size());
  for (std::size_t i = 0; i < r.size(); ++i) EXPECT_NEAR(r[i], expected[i], 1e-12) << times[i];
}

TEST(Profile, MapsOfDifferentResolutionsOnACommonGrid) {
  // A ramp at 1 s per column, and at 0.5 s per column the values it takes at
  // the finer grid's centres (0.25 ... 3.75 s; held beyond 0.5 and 3.5 s):
  // the common grid is the finer one, so they correlate perfectly.
  const auto coarse = map_with_profile(0, {0, 1, 2, 3}, 1.0);
  const auto fine = map_with_profile(0, {0, 0.25f, 0.75f, 1.25f, 1.75f, 2.25f, 2.75f, 3}, 0.5);
  EXPECT_NEAR(*profile_pearson(coarse, fine), 1.0, 1e-9);
  // Against the reverse (3 minus the same values): -1.
  const auto reversed = map_with_profile(0, {3, 2.75f, 2.25f, 1.75f, 1.25f, 0.75f, 0.25f, 0}, 0.5);
  EXPECT_NEAR(*profile_pearson(coarse, reversed), -1.0, 1e-9);
  // A peak at the start against a peak at the end, both at 1 s: on 4 points
  // x = (1,0,0,0), y = (0,0,0,1): r = -1/3 exactly.
  EXPECT_NEAR(*profile_pearson(map_with_profile(0, {1, 0, 0, 0}, 1.0), map_with_profile(0, {0, 0, 0, 1}, 1.0)),
              -1.0 / 3, 1e-9);
  // Only the time both cover counts: the second map's extra columns are ignored.
  EXPECT_NEAR(*profile_pearson(coarse, map_with_profile(0, {0, 1, 2, 3, 9, -9}, 1.0)), 1.0, 1e-9);
  EXPECT_FALSE(profile_pearson(coarse, map_with_profile(0, {0.5f, 0.5f, 0.5f, 0.5f}, 1.0)));
}

TEST(Events, MatchedByClassAndOverlap) {
  const std::vector<Event> a{event(1, 0, 2), event(1, 5, 6), event(2, 0, 10), event(3, 1, 2)};
  const std::vector<Event> b{event(1, 1.5, 5.5), event(2, 9, 12), event(3, 2, 3), event(4, 0, 1)};
  std::vector<MatchedEvent> both;
  std::vector<Event> only_a, only_b;
  match_events(a, b, both, only_a, only_b);
  // class 1: b's [1.5, 5.5] overlaps a's [0, 2] by 0.5 and [5, 6] by 0.5: the first (earlier) takes it.
  // class 2: overlap 1 s. class 3: [1,2] and [2,3] only touch: no match. class 4: b's own.
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[0].index, 1);
  EXPECT_DOUBLE_EQ(both[0].first.onset_s, 0);
  EXPECT_DOUBLE_EQ(both[0].overlap_s, 0.5);
  EXPECT_EQ(both[1].index, 2);
  EXPECT_DOUBLE_EQ(both[1].overlap_s, 1.0);
  ASSERT_EQ(only_a.size(), 2u);
  EXPECT_EQ(only_a[0].index, 1);
  EXPECT_DOUBLE_EQ(only_a[0].onset_s, 5);
  EXPECT_EQ(only_a[1].index, 3);
  ASSERT_EQ(only_b.size(), 2u);
  EXPECT_EQ(only_b[0].index, 3);
  EXPECT_EQ(only_b[1].index, 4);
}

TEST(Events, TheLargestOverlapWinsAndEachEventIsUsedOnce) {
  const std::vector<Event> a{event(7, 0, 4)};
  const std::vector<Event> b{event(7, 3, 8), event(7, 1, 3.5)};
  std::vector<MatchedEvent> both;
  std::vector<Event> only_a, only_b;
  match_events(a, b, both, only_a, only_b);
  ASSERT_EQ(both.size(), 1u);
  EXPECT_DOUBLE_EQ(both[0].second.onset_s, 1);  // 2.5 s of overlap against 1 s
  EXPECT_TRUE(only_a.empty());
  ASSERT_EQ(only_b.size(), 1u);
  EXPECT_DOUBLE_EQ(only_b[0].onset_s, 3);
}

Analysis analysis_with(const std::vector<float>& probabilities) {
  Analysis a;
  a.probabilities = probabilities;
  for (int i = 0; i < int(probabilities.size()); ++i) {
    if (std::isnan(probabilities[std::size_t(i)])) continue;
    Explanation e;
    e.target = {i, "class " + std::to_string(i), probabilities[std::size_t(i)]};
    e.cam = map_with_profile(i, {0, 1, float(i % 3), 1}, 1.0);
    a.explanations.push_back(e);
    a.predictions.push_back(e.target);
  }
  return a;
}

TEST(Compare, TopClassesSkipAbsentOnesAndTheJsonSaysWhoFoundWhat) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  // Model a's top 3: 0, 1, 2. Model b lacks class 0 (NaN, as YAMNet's absent classes): top 3 is 3, 1, 2.
  const auto a = analysis_with({0.9f, 0.8f, 0.7f, 0.1f, 0.05f});
  const auto b = analysis_with({nan, 0.6f, 0.5f, 0.95f, 0.01f});
  const std::vector<Event> events_a{event(1, 0, 3)}, events_b{event(1, 2, 4), event(3, 0, 1)};
  const auto c = compare_runs({"a", &a, &events_a}, {"b", &b, &events_b}, CompareOptions{3});
  ASSERT_EQ(c.top_shared.size(), 2u);
  EXPECT_EQ(c.top_shared[0].index, 1);
  EXPECT_EQ(c.top_shared[1].index, 2);
  ASSERT_EQ(c.top_only[0].size(), 1u);
  EXPECT_EQ(c.top_only[0][0].index, 0);
  ASSERT_EQ(c.top_only[1].size(), 1u);
  EXPECT_EQ(c.top_only[1][0].index, 3);
  ASSERT_EQ(c.profile_correlation.size(), 2u);  // both maps of a shared class are the same: r = 1
  EXPECT_NEAR(*c.profile_correlation[0].pearson, 1.0, 1e-9);

  const auto j = agreement_to_json(c);
  EXPECT_EQ(j["top_shared"].size(), 2u);
  EXPECT_EQ(j["top_only"]["a"][0]["index"], 0);
  EXPECT_EQ(j["top_only"]["b"][0]["index"], 3);
  EXPECT_EQ(j["profile_correlation"][1]["pearson"], 1.0);
  ASSERT_EQ(j["events"]["both"].size(), 1u);
  EXPECT_EQ(j["events"]["both"][0]["overlap_s"], 1.0);
  EXPECT_EQ(j["events"]["both"][0]["a"]["onset_s"], 0.0);
  EXPECT_EQ(j["events"]["both"][0]["b"]["onset_s"], 2.0);
  EXPECT_TRUE(j["events"]["only"]["a"].empty());
  EXPECT_EQ(j["events"]["only"]["b"][0]["index"], 3);
}

// GET /api/v1/compare compares two stored analyses from their JSON: the same
// agreement as the live comparison (the values here survive the JSON's rounding).
TEST(CompareStored, TheStoredJsonGivesTheLiveAgreement) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  auto a = analysis_with({0.9f, 0.8f, 0.7f, 0.1f, 0.05f, 0.02f});
  auto b = analysis_with({nan, 0.6f, 0.5f, 0.95f, 0.01f, 0.3f});
  a.model = "a";
  b.model = "b";
  b.explanations[1].cam = map_with_profile(2, {1, 0.5f, 0.25f, 0}, 0.5);  // another resolution: r is not 1
  const std::vector<Event> events_a{event(1, 0, 3), event(2, 5, 6)}, events_b{event(1, 2, 4), event(3, 0, 1)};
  const auto live = agreement_to_json(compare_runs({"a", &a, &events_a}, {"b", &b, &events_b}));
  auto ja = analysis_to_json(a), jb = analysis_to_json(b);
  ja["events"] = events_to_json(events_a);
  jb["events"] = events_to_json(events_b);
  EXPECT_EQ(agreement_to_json(compare_stored(ja, jb)), live);
  // Predictions are what the stored JSON ranks by: a shorter list gives a shorter top.
  ja["predictions"] = nlohmann::json::array({ja["predictions"][0], ja["predictions"][1]});
  const auto short_top = compare_stored(ja, jb);
  EXPECT_EQ(short_top.top_shared.size(), 1u);  // class 1 only (class 0 is not b's)
  // Malformed JSON is a clear error, not a crash.
  EXPECT_THROW(compare_stored(nlohmann::json::object(), jb), Error);
  jb["explanations"][0]["map"] = nlohmann::json::array({nlohmann::json::array({1})});
  EXPECT_THROW(compare_stored(ja, jb), Error);
}

TEST(Compare, NeedsTwoDifferentModels) {
  const auto a = analysis_with({0.5f});
  const std::vector<Event> none;
  EXPECT_THROW(compare_runs({"a", &a, &none}, {"a", &a, &none}), Error);
}

}  // namespace
}  // namespace soundlens
