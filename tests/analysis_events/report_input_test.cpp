// The report's maps are read back from the analysis JSON: the same map the
// analysis reported (to its 4 decimals), and malformed JSON is a clear error.
#include "analysis_events/report_input.h"
#include "analysis_events/report_checks.h"

#include <gtest/gtest.h>

#include "analysis/analysis_json.h"
#include "core/error.h"

namespace soundlens {
namespace {

Explanation example_explanation() {
  Explanation e;
  e.target = {47, "Cough", 0.91f};
  e.contrast = Prediction{0, "Speech", 0.4f};
  CamMap& cam = e.cam;
  cam.class_index = 47;
  cam.contrast_index = 0;
  cam.method = "layercam";
  cam.layers = {"features.12", "features.16"};
  cam.layer = "features.12, features.16";
  cam.score = "logit(Cough) - logit(Speech)";
  cam.rows = 3;
  cam.cols = 5;
  cam.seconds_per_column = 0.32;
  cam.frames_per_column = 32;
  cam.mel_bins_per_row = 42.67;
  cam.row_edges_hz = {0, 500, 2000, 15000};
  for (int i = 0; i < cam.rows * cam.cols; ++i) cam.values.push_back(float(i) / 14.0f);
  e.faithfulness = Faithfulness{};
  e.faithfulness->score = 0.61;
  return e;
}

TEST(ReportInput, MapsRoundTripThroughTheAnalysisJson) {
  const Explanation e = example_explanation();
  const CamMap back = cam_from_json(explanation_to_json(e));
  EXPECT_EQ(back.class_index, 47);
  EXPECT_EQ(back.contrast_index, 0);
  EXPECT_EQ(back.method, "layercam");
  EXPECT_EQ(back.layers, e.cam.layers);
  EXPECT_EQ(back.layer, e.cam.layer);
  EXPECT_EQ(back.score, e.cam.score);
  EXPECT_EQ(back.rows, 3);
  EXPECT_EQ(back.cols, 5);
  EXPECT_DOUBLE_EQ(back.seconds_per_column, 0.32);
  EXPECT_EQ(back.frames_per_column, 32);
  EXPECT_DOUBLE_EQ(back.mel_bins_per_row, 42.67);
  EXPECT_EQ(back.row_edges_hz, e.cam.row_edges_hz);
  ASSERT_EQ(back.values.size(), e.cam.values.size());
  for (std::size_t i = 0; i < back.values.size(); ++i) EXPECT_NEAR(back.values[i], e.cam.values[i], 5e-5) << i;
  // Row 0 stays the lowest band.
  EXPECT_NEAR(back.at(2, 4), 1.0f, 5e-5);
}

TEST(ReportInput, MalformedMapsAreBadRequests) {
  const auto good = explanation_to_json(example_explanation());
  auto expect_bad = [](const nlohmann::json& j) {
    try {
      cam_from_json(j);
      ADD_FAILURE() << "accepted: " << j.dump();
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::bad_request) << e.what();
    }
  };
  auto missing_rows = good;
  missing_rows.erase("rows");
  expect_bad(missing_rows);
  auto short_row = good;
  short_row["map"][1].erase(0);
  expect_bad(short_row);
  auto extra_row = good;
  extra_row["map"].push_back(good["map"][0]);
  expect_bad(extra_row);
  auto text_value = good;
  text_value["map"][0][0] = "high";
  expect_bad(text_value);
}

TEST(ReportInput, ParametersNameEveryOptionWithItsValue) {
  AnalysisOptions o;
  o.top_k = 3;
  o.classes = {"Cough", "47"};
  o.window_s = 5;
  o.hop_s = 1;
  AnalysisEventOptions events;
  events.hop_s = 0.5;
  events.detect.merge_gap_s = 0.75;
  const auto p = report_parameters(o, events);
  auto value = [&](const std::string& name) {
    for (const auto& [n, v] : p)
      if (n == name) return v;
    return std::string("(absent)");
  };
  EXPECT_EQ(value("top_k"), "3");
  EXPECT_EQ(value("classes"), "Cough, 47");
  EXPECT_EQ(value("window_s"), "5");
  EXPECT_EQ(value("hop_s"), "1");
  EXPECT_EQ(value("event_hop_s"), "0.5");
  EXPECT_EQ(value("event_window_s"), "0");  // the default: the analysis pass itself
  EXPECT_EQ(value("event_merge_gap_s"), "0.75");
  EXPECT_EQ(value("event_window_high"), "0.5");
  EXPECT_EQ(value("event_max_classes"), "10");
  EXPECT_EQ(report_parameters(AnalysisOptions{}, AnalysisEventOptions{})[1].second, "(none)");
}

TEST(ReportInput, DatesAreIso8601Utc) {
  const std::string now = utc_now_iso8601();
  ASSERT_EQ(now.size(), 20u) << now;
  EXPECT_EQ(now[4], '-');
  EXPECT_EQ(now[10], 'T');
  EXPECT_EQ(now.back(), 'Z');
}

}  // namespace
}  // namespace soundlens

namespace soundlens {
namespace {

// The reviewed table of a stored analysis: the API adds each event's review and the counts after it.
TEST(ReportInput, ReviewedEventsAndCountsAreReadFromTheAnalysisJson) {
  const auto j = nlohmann::json::parse(R"({
    "events": [
      {"index": 47, "label": "Cough", "onset_s": 1.0, "offset_s": 2.0, "probability": 0.9, "low_hz": 100, "high_hz": 900,
       "review": {"status": "confirmed", "index": 49, "label": "Sneeze", "onset_s": 1.25, "offset_s": null,
                  "reviewer": "", "reviewed_at": "2026-12-06T18:00:00.000Z"}},
      {"index": 47, "label": "Cough", "onset_s": 3.0, "offset_s": 4.0, "probability": 0.8, "low_hz": 100, "high_hz": 900,
       "review": {"status": "rejected", "index": null, "label": null, "onset_s": null, "offset_s": null,
                  "reviewer": "", "reviewed_at": "2026-12-06T18:00:01.000Z"}}],
    "event_counts": [
      {"index": 47, "label": "Cough", "count": 0, "per_hour": 0, "detected": 2, "confirmed": 0, "rejected": 1, "unreviewed": 0},
      {"index": 49, "label": "Sneeze", "count": 1, "per_hour": 360, "detected": 0, "confirmed": 1, "rejected": 0, "unreviewed": 0}]
  })");
  ReportInput in;
  read_report_events(in, j);
  ASSERT_EQ(in.events.size(), 2u);
  EXPECT_EQ(in.events[0].label, "Sneeze");
  EXPECT_EQ(in.events[0].index, 49);
  EXPECT_DOUBLE_EQ(in.events[0].onset_s, 1.25);
  EXPECT_DOUBLE_EQ(in.events[0].offset_s, 2.0);  // null: the detected time
  EXPECT_EQ(in.events[1].label, "Cough");
  EXPECT_EQ(in.event_reviews, (std::vector<std::string>{"confirmed", "rejected"}));
  ASSERT_EQ(in.count_reviews.size(), 2u);
  EXPECT_EQ(in.count_reviews[0].rejected, 1);
  EXPECT_EQ(in.count_reviews[1].confirmed, 1);
  EXPECT_EQ(in.counts[1].count, 1);

  // The CLI's JSON has no review: none is shown.
  auto plain = j;
  for (auto& e : plain["events"]) e.erase("review");
  ReportInput cli;
  read_report_events(cli, plain);
  EXPECT_EQ(cli.events[0].label, "Cough");
  EXPECT_TRUE(cli.event_reviews.empty());
  EXPECT_TRUE(cli.count_reviews.empty());
}

// The checks in words: each computed one with its numbers, those not computed named, and a class
// absent from the recording (its scores null) said to have no verdict rather than read as a number.
TEST(ReportChecks, EachCheckIsSaidWithItsNumbersAndTheRestAreNotComputed) {
  Explanation e = example_explanation();
  e.faithfulness->random_score = 0.02;
  nlohmann::json j = explanation_to_json(e);
  std::string words = checks_words(j);
  EXPECT_NE(words.find("Faithfulness 0.61 against 0.02 for a random map of the same cells, a margin of +0.59"),
            std::string::npos) << words;
  EXPECT_NE(words.find("clearly better than a random map"), std::string::npos) << words;
  EXPECT_NE(words.find("Not computed: sanity check and listening."), std::string::npos) << words;

  e.faithfulness->score = 0.05;  // a margin of 0.03: not enough
  e.sanity = SanityCheck{};
  e.sanity->steps = {{"the head", 0.91}};
  e.sanity->passed = false;
  e.listen = ListenCheck{};
  e.listen->kept_probability = 0.8;
  e.listen->removed_probability = 0.1;
  words = checks_words(explanation_to_json(e));
  EXPECT_NE(words.find("not clearly better than a random map"), std::string::npos) << words;
  EXPECT_NE(words.find("Sanity check failed"), std::string::npos) << words;
  EXPECT_NE(words.find("the head randomised: 0.91"), std::string::npos) << words;
  EXPECT_NE(words.find("Listening: the model gives Cough 80 % on the part of the sound the map keeps and 10 %"),
            std::string::npos) << words;
  EXPECT_EQ(words.find("Not computed"), std::string::npos) << words;

  e.faithfulness->absent_class = true;  // the JSON's scores become null
  j = explanation_to_json(e);
  ASSERT_TRUE(j["faithfulness"]["score"].is_null());
  EXPECT_NE(faithfulness_words(j).find("no verdict, Cough is absent from this recording"), std::string::npos)
      << faithfulness_words(j);
  // An event's check (explanation?event=N) is of the event's window, and says so.
  auto of_event = j;
  of_event["window"] = {{"start_s", 1.0}, {"end_s", 4.2}};
  EXPECT_NE(faithfulness_words(of_event).find("Cough is absent from this event's window"), std::string::npos)
      << faithfulness_words(of_event);
  j["faithfulness"] = {{"score", nullptr}};  // null without the flag: still no number read from it
  EXPECT_NE(faithfulness_words(j).find("no verdict"), std::string::npos);
  j["faithfulness"] = "garbage";
  EXPECT_EQ(faithfulness_words(j), "");
  EXPECT_NE(checks_words(nlohmann::json::object()).find("Not computed: faithfulness, sanity check and listening."),
            std::string::npos);
}

}  // namespace
}  // namespace soundlens
