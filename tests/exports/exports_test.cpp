// Every export is parsed back by an independent reader and must give the
// events (or windows) it was written from.
#include "exports/exports.h"

#include <gtest/gtest.h>

#include <sstream>

namespace soundlens {
namespace {

const std::vector<Event> kEvents{
    {47, "Cough", 1.25, 2.5, 0.9123f, 300, 4000},
    {23, "Baby cry, infant cry", 3.0, 7.125, 0.5f, 500.5, 8000},
    {0, "Say \"ah\"", 10, 10.32, 0.3333f, 0, 15000},
};

// RFC 4180: fields split at commas outside quotes, "" inside quotes is one quote.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"')
        rows.back().back() += '"', ++i;
      else if (c == '"')
        quoted = false;
      else
        rows.back().back() += c;
    } else if (c == '"')
      quoted = true;
    else if (c == ',')
      rows.back().emplace_back();
    else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      ++i;
      rows.emplace_back(1);
    } else
      rows.back().back() += c;
  }
  if (rows.back().size() == 1 && rows.back()[0].empty()) rows.pop_back();
  return rows;
}

std::vector<std::vector<std::string>> parse_tsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields(1);
    for (char c : line)
      if (c == '\t')
        fields.emplace_back();
      else
        fields.back() += c;
    rows.push_back(fields);
  }
  return rows;
}

TEST(Exports, EventsCsvParsesBack) {
  const auto rows = parse_csv(write_events_csv(kEvents));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0],
            (std::vector<std::string>{"index", "label", "onset_s", "offset_s", "probability", "low_hz", "high_hz"}));
  for (std::size_t i = 0; i < kEvents.size(); ++i) {
    const auto& r = rows[i + 1];
    ASSERT_EQ(r.size(), 7u);
    EXPECT_EQ(std::stoi(r[0]), kEvents[i].index);
    EXPECT_EQ(r[1], kEvents[i].label);
    EXPECT_NEAR(std::stod(r[2]), kEvents[i].onset_s, 5e-4);
    EXPECT_NEAR(std::stod(r[3]), kEvents[i].offset_s, 5e-4);
    EXPECT_NEAR(std::stod(r[4]), kEvents[i].probability, 5e-5);
    EXPECT_NEAR(std::stod(r[5]), kEvents[i].low_hz, 0.05);
    EXPECT_NEAR(std::stod(r[6]), kEvents[i].high_hz, 0.05);
  }
}

TEST(Exports, WindowsCsvHasOneColumnPerShownClass) {
  std::vector<TimelineWindow> tl(2);
  tl[0] = {0, 10, {}, std::vector<float>(527, 0.0f)};
  tl[1] = {5, 15, {}, std::vector<float>(527, 0.0f)};
  tl[0].probabilities[47] = 0.75f;
  tl[1].probabilities[23] = 0.125f;
  const std::vector<Prediction> shown{{47, "Cough", 0}, {23, "Baby cry, infant cry", 0}};
  const auto rows = parse_csv(write_windows_csv(tl, shown));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"start_s", "end_s", "Cough", "Baby cry, infant cry"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"0.000", "10.000", "0.7500", "0.0000"}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"5.000", "15.000", "0.0000", "0.1250"}));
}

TEST(Exports, RavenSelectionTableParsesBack) {
  const auto rows = parse_tsv(write_raven(kEvents));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0],
            (std::vector<std::string>{"Selection", "View", "Channel", "Begin Time (s)", "End Time (s)", "Low Freq (Hz)",
                                      "High Freq (Hz)", "Class", "Class Index", "Probability"}));
  for (std::size_t i = 0; i < kEvents.size(); ++i) {
    const auto& r = rows[i + 1];
    ASSERT_EQ(r.size(), 10u);
    EXPECT_EQ(r[0], std::to_string(i + 1));  // Raven numbers selections from 1
    EXPECT_EQ(r[1], "Spectrogram 1");
    EXPECT_EQ(r[2], "1");
    EXPECT_NEAR(std::stod(r[3]), kEvents[i].onset_s, 1e-6);
    EXPECT_NEAR(std::stod(r[4]), kEvents[i].offset_s, 1e-6);
    EXPECT_NEAR(std::stod(r[5]), kEvents[i].low_hz, 0.05);
    EXPECT_NEAR(std::stod(r[6]), kEvents[i].high_hz, 0.05);
    EXPECT_EQ(r[7], kEvents[i].label);
    EXPECT_EQ(std::stoi(r[8]), kEvents[i].index);
    EXPECT_NEAR(std::stod(r[9]), kEvents[i].probability, 5e-5);
  }
}

// Each label, then its band as Audacity's spectral-selection line ("\", low Hz, high Hz).
TEST(Exports, AudacityLabelsParseBackWithTheirBands) {
  const auto rows = parse_tsv(write_audacity(kEvents));
  ASSERT_EQ(rows.size(), 2 * kEvents.size());
  for (std::size_t i = 0; i < kEvents.size(); ++i) {
    const auto& label = rows[2 * i];
    const auto& band = rows[2 * i + 1];
    ASSERT_EQ(label.size(), 3u);
    EXPECT_NEAR(std::stod(label[0]), kEvents[i].onset_s, 1e-6);
    EXPECT_NEAR(std::stod(label[1]), kEvents[i].offset_s, 1e-6);
    EXPECT_EQ(label[2], kEvents[i].label);
    ASSERT_EQ(band.size(), 3u);
    EXPECT_EQ(band[0], "\\");
    EXPECT_NEAR(std::stod(band[1]), kEvents[i].low_hz, 1e-6);
    EXPECT_NEAR(std::stod(band[2]), kEvents[i].high_hz, 1e-6);
  }
}

TEST(Exports, TabsAndLineBreaksInLabelsCannotBreakTheTabSeparatedFormats) {
  const std::vector<Event> odd{{1, "a\tb\nc", 0, 1, 0.5f, 0, 100}};
  const auto raven = parse_tsv(write_raven(odd));
  ASSERT_EQ(raven.size(), 2u);
  ASSERT_EQ(raven[1].size(), 10u);
  EXPECT_EQ(raven[1][7], "a b c");
  const auto labels = parse_tsv(write_audacity(odd));
  ASSERT_EQ(labels.size(), 2u);
  EXPECT_EQ(labels[0][2], "a b c");
  EXPECT_EQ(parse_csv(write_events_csv(odd))[1][1], "a\tb\nc");  // CSV quotes it
}

TEST(Exports, NoEventsGiveJustTheHeaders) {
  EXPECT_EQ(parse_csv(write_events_csv({})).size(), 1u);
  EXPECT_EQ(parse_tsv(write_raven({})).size(), 1u);
  EXPECT_EQ(write_audacity({}), "");
}

// The three reviews of kEvents the review tests use: the cough confirmed and moved, the cry
// relabelled as Laughter (16) and rejected, the third left unreviewed.
const std::vector<EventReview> kReviews{
    {.status = "confirmed", .onset_s = 1.0, .offset_s = 2.75},
    {.status = "rejected", .label_index = 16, .label = "Laughter"},
};

TEST(ReviewedExports, CsvCarriesTheStatusAndTheReviewedClassAndTimes) {
  const auto rows = parse_csv(write_events_csv(kEvents, kReviews));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].back(), "review");
  ASSERT_EQ(rows[1].size(), 8u);
  EXPECT_EQ(rows[1][1], "Cough");
  EXPECT_EQ(rows[1][2], "1.000");  // the corrected times win
  EXPECT_EQ(rows[1][3], "2.750");
  EXPECT_EQ(rows[1][7], "confirmed");
  EXPECT_EQ(rows[2][0], "16");  // the corrected class wins
  EXPECT_EQ(rows[2][1], "Laughter");
  EXPECT_EQ(rows[2][2], "3.000");  // uncorrected times stay
  EXPECT_EQ(rows[2][7], "rejected");
  EXPECT_EQ(rows[3][1], "Say \"ah\"");
  EXPECT_EQ(rows[3][7], "unreviewed");  // no review given: unreviewed
  // Without reviews the CLI's table is as it was: no review column.
  EXPECT_EQ(parse_csv(write_events_csv(kEvents))[0].size(), 7u);
}

TEST(ReviewedExports, RavenHasAReviewColumnAndAudacityMarksReviewedLabels) {
  const auto raven = parse_tsv(write_raven(kEvents, kReviews));
  ASSERT_EQ(raven.size(), 4u);
  EXPECT_EQ(raven[0].back(), "Review");
  ASSERT_EQ(raven[1].size(), 11u);
  EXPECT_NEAR(std::stod(raven[1][3]), 1.0, 1e-9);
  EXPECT_EQ(raven[1][10], "confirmed");
  EXPECT_EQ(raven[2][7], "Laughter");
  EXPECT_EQ(raven[2][8], "16");
  EXPECT_EQ(raven[2][10], "rejected");
  EXPECT_EQ(raven[3][10], "unreviewed");
  const auto labels = parse_tsv(write_audacity(kEvents, kReviews));
  ASSERT_EQ(labels.size(), 6u);
  EXPECT_NEAR(std::stod(labels[0][1]), 2.75, 1e-9);
  EXPECT_EQ(labels[0][2], "Cough (confirmed)");
  EXPECT_EQ(labels[2][2], "Laughter (rejected)");
  EXPECT_EQ(labels[4][2], "Say \"ah\"");
  EXPECT_EQ(labels[5][0], "\\");  // the band lines stay
}

TEST(ReviewedCounts, RejectedEventsDoNotCountAndRelabelledOnesCountUnderTheirNewClass) {
  const std::vector<Event> events{{47, "Cough", 0, 1, 0.9f, 0, 1}, {47, "Cough", 2, 3, 0.8f, 0, 1},
                                  {47, "Cough", 4, 5, 0.7f, 0, 1}, {49, "Sneeze", 6, 7, 0.6f, 0, 1},
                                  {47, "Cough", 8, 9, 0.6f, 0, 1}};
  const std::vector<EventCount> detected{{47, "Cough", 4, 0}, {49, "Sneeze", 1, 0}, {38, "Snoring", 0, 0}};
  const std::vector<EventReview> reviews{
      {.status = "confirmed"},
      {.status = "rejected"},
      {.status = "confirmed", .label_index = 49, .label = "Sneeze"},  // a sneeze counted as a cough
      {.status = "unreviewed"},
      {.status = "confirmed", .label_index = 60, .label = "Throat clearing"}};
  const auto counts = reviewed_counts(events, reviews, detected, 1800);  // half an hour
  ASSERT_EQ(counts.size(), 4u);
  EXPECT_EQ(counts[0].label, "Sneeze");
  EXPECT_EQ(counts[0].detected, 1);
  EXPECT_EQ(counts[0].confirmed, 1);
  EXPECT_EQ(counts[0].unreviewed, 1);
  EXPECT_EQ(counts[0].count, 2);
  EXPECT_DOUBLE_EQ(counts[0].per_hour, 4);
  EXPECT_EQ(counts[1].label, "Cough");
  EXPECT_EQ(counts[1].detected, 4);
  EXPECT_EQ(counts[1].confirmed, 1);
  EXPECT_EQ(counts[1].rejected, 1);
  EXPECT_EQ(counts[1].unreviewed, 0);
  EXPECT_EQ(counts[1].count, 1);
  EXPECT_EQ(counts[2].label, "Throat clearing");  // brought by a relabel, after the detected ones at equal count
  EXPECT_EQ(counts[2].detected, 0);
  EXPECT_EQ(counts[2].count, 1);
  EXPECT_EQ(counts[3].label, "Snoring");  // pinned at 0 stays
  EXPECT_EQ(counts[3].count, 0);
  // No reviews: every event unreviewed, the counts as detected.
  const auto plain = reviewed_counts(events, {}, detected, 0);
  EXPECT_EQ(plain[0].count, 4);
  EXPECT_EQ(plain[0].unreviewed, 4);
  EXPECT_EQ(plain[0].per_hour, 0);  // no duration: no rate
}

}  // namespace
}  // namespace soundlens

#include "events/events_json.h"

namespace soundlens {
namespace {

TEST(EventsJson, CarriesEveryFieldRounded) {
  const auto j = events_to_json(kEvents);
  ASSERT_EQ(j.size(), 3u);
  EXPECT_EQ(j[1]["label"], "Baby cry, infant cry");
  EXPECT_EQ(j[1]["index"], 23);
  EXPECT_DOUBLE_EQ(j[1]["onset_s"].get<double>(), 3.0);
  EXPECT_DOUBLE_EQ(j[1]["offset_s"].get<double>(), 7.125);
  EXPECT_DOUBLE_EQ(j[0]["probability"].get<double>(), 0.9123);
  EXPECT_DOUBLE_EQ(j[1]["low_hz"].get<double>(), 500.5);
  const auto c = event_counts_to_json({{47, "Cough", 3, 6.0}});
  EXPECT_EQ(c[0]["count"], 3);
  EXPECT_DOUBLE_EQ(c[0]["per_hour"].get<double>(), 6.0);
  const auto q = quality_to_json({{"clipping", true, 0.25, "fraction", "Clipped."}});
  EXPECT_EQ(q[0]["name"], "clipping");
  EXPECT_EQ(q[0]["raised"], true);
  EXPECT_EQ(q[0]["message"], "Clipped.");
}

}  // namespace
}  // namespace soundlens
