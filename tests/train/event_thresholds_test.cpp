// A trained model's event thresholds: fitted where the held-out files' strongest
// windows best tell a class from the others, written as a table and read back
// only when it is the table soundlens wrote for these labels.
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "model/trained_thresholds.h"
#include "train/event_thresholds.h"

namespace soundlens {
namespace {

float logit(double p) { return float(std::log(p / (1 - p))); }

// A multi-label head of two classes whose raw scores are the logits (no calibration).
TrainedHead two_classes() {
  TrainedHead h;
  h.multi_label = true;
  h.layers = {{1, 2, {0, 0}, {0, 0}}};
  return h;
}

TEST(EventThresholds, TheMiddleOfTheThresholdsThatSeparateTheHeldOutFilesBest) {
  HeldOutWindows held;
  // Class 0's files reach 0.72 in one window (0.1 in the other); the rest stay at or below 0.28.
  // Class 1's files reach 0.95; the others reach 0.62. (Values off the grid of 0.10, 0.15, ..., 0.90.)
  for (int f = 0; f < 3; ++f) {
    held.scores.push_back({{logit(0.1), logit(0.62)}, {logit(0.72), logit(0.2)}});
    held.truth.push_back({0});
    held.scores.push_back({{logit(0.28), logit(0.95)}});
    held.truth.push_back({1});
    held.scores.push_back({{logit(0.2), logit(0.5)}});
    held.truth.push_back({});
  }
  const auto t = fit_event_thresholds(two_classes(), Calibration{}, held);
  ASSERT_EQ(t.size(), 2u);
  // 0.30 ... 0.70 all separate class 0 (F1 1): the middle is 0.50.
  EXPECT_EQ(t[0].index, 0);
  EXPECT_NEAR(t[0].threshold, 0.50, 1e-9);
  EXPECT_NEAR(t[0].low, 0.25, 1e-9);
  EXPECT_NEAR(t[0].train_f1, 1.0, 1e-9);
  // 0.65 ... 0.90 separate class 1.
  EXPECT_NEAR(t[1].threshold, 0.75, 1e-9);
  EXPECT_NEAR(t[1].train_f1, 1.0, 1e-9);
}

TEST(EventThresholds, ThroughTheCalibrationTheModelIsWrittenWith) {
  HeldOutWindows held;
  for (int f = 0; f < 2; ++f) {
    held.scores.push_back({{logit(0.7), 0}});
    held.truth.push_back({0});
    held.scores.push_back({{logit(0.3), 0}});
    held.truth.push_back({1});
  }
  Calibration c;
  c.a = {1, 1};
  c.b = {3, 0};  // class 0's probabilities lifted: 0.7 -> 0.98, 0.3 -> 0.9
  const auto t = fit_event_thresholds(two_classes(), c, held);
  EXPECT_GT(t[0].threshold, 0.85) << "chosen on the calibrated probabilities (0.9 against 0.98)";
}

TEST(EventThresholds, AClassThatCannotBeToldApartStillGetsAThresholdAndSaysHowBadly) {
  HeldOutWindows held;
  for (int f = 0; f < 2; ++f) {
    held.scores.push_back({{logit(0.6), 0}});
    held.truth.push_back({0});
    held.scores.push_back({{logit(0.6), 0}});
    held.truth.push_back({});
  }
  const auto t = fit_event_thresholds(two_classes(), Calibration{}, held);
  EXPECT_NEAR(t[0].train_f1, 2.0 / 3.0, 1e-9);  // every file said: precision 0.5, recall 1
  EXPECT_GE(t[0].threshold, 0.1);
  EXPECT_LE(t[0].threshold, 0.6);
}

const std::vector<std::string> kLabels{"cough", "sneeze, wet"};

std::string table(const std::string& rows) { return "# made by hand for a test\nindex,label,threshold,low,train_f1\n" + rows; }

std::string parse_error(const std::string& csv) {
  try {
    parse_thresholds_csv(csv, kLabels, "MODEL/thresholds.csv");
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::model_not_loaded);
    return e.what();
  }
  ADD_FAILURE() << "it parsed: " << csv;
  return "";
}

TEST(ThresholdsTable, WrittenAndReadBack) {
  const std::vector<EventThreshold> t{{0, 0.45, 0.225, 1}, {1, 0.8, 0.4, 0.5}};
  const auto csv = thresholds_csv("coughs", kLabels, t, "Fitted on tests.");
  const auto back = parse_thresholds_csv(csv, kLabels, "x");
  ASSERT_EQ(back.size(), 2u);
  EXPECT_DOUBLE_EQ(back[0].threshold, 0.45);
  EXPECT_DOUBLE_EQ(back[0].low, 0.225);
  EXPECT_DOUBLE_EQ(back[1].train_f1, 0.5);
}

TEST(ThresholdsTable, HostileTablesAreRefusedNamingTheLine) {
  EXPECT_NE(parse_error("").find("it has no header"), std::string::npos);
  EXPECT_NE(parse_error("index,label,threshold\n").find("line 1: the header is not"), std::string::npos);
  EXPECT_NE(parse_error(table("0,cough,0.5,0.25,1\n")).find("has 1 rows for 2 labels"), std::string::npos);
  EXPECT_NE(parse_error(table("0,sneeze,0.5,0.25,1\n1,\"sneeze, wet\",0.5,0.25,1\n")).find("line 3: class 0 is 'cough'"),
            std::string::npos);
  EXPECT_NE(parse_error(table("1,\"sneeze, wet\",0.5,0.25,1\n")).find("the row of class 0 is expected"), std::string::npos);
  EXPECT_NE(parse_error(table("0,cough,0.5,0.25,1\n1,\"sneeze, wet\",0.5,0.25,1\n2,extra,0.5,0.25,1\n"))
                .find("more rows than the model's 2 labels"),
            std::string::npos);
  for (const std::string bad : {"0,cough,0.5,0.6,1", "0,cough,1,0.5,1", "0,cough,0.5,0,1", "0,cough,nan,0.2,1",
                                "0,cough,0.5,0.25,x", "0,cough,0.5,-0.1,1", "0,cough,1e400,0.1,1"})
    EXPECT_NE(parse_error(table(bad + "\n1,\"sneeze, wet\",0.5,0.25,1\n")).find("line 3: the threshold and low"),
              std::string::npos) << bad;
  EXPECT_NE(parse_error(table("0,cough,0.5\n")).find("fields, not 5"), std::string::npos);
}

}  // namespace
}  // namespace soundlens
