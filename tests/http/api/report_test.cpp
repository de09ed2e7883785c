// The PDF report of a real analysis, served (GET .../report.pdf) and written
// by the CLI (soundlens analyze --report), read back with poppler's pdftotext.
#include <gtest/gtest.h>

#include <algorithm>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "render/report_pdf.h"
#include "command_output.h"
#include "test_paths.h"
#include "test_server.h"

namespace soundlens::test {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

const std::string long_file = "awkward/04_long_90s_concat.wav";

bool have_poppler() { return !command_output("command -v pdftotext").empty(); }

fs::path temp_path(const std::string& name) {
  return fs::temp_directory_path() / (name + "-" + std::to_string(::getpid()));
}

// The recording's SHA-256 by coreutils, independently of the program's.
std::string sha256sum(const std::string& path) { return command_output("sha256sum '" + path + "'").substr(0, 64); }

// What every report of the 90 s file must say, by the analysis' own JSON.
void expect_report_of(const std::string& text, const json& analysis, const std::string& file_name) {
  const std::string top = analysis["predictions"][0]["label"];
  ASSERT_FALSE(analysis["events"].empty()) << "the 90 s file has coughs and sneezes: no events were found";
  std::vector<std::string> expected{file_name, "mn04_as", "efficientat/mn04_as_mAP_432.pt", top,
                                    kReportStatement, sha256sum(shared_audio(long_file)), "90.00 s",
                                    "window_s", "event_window_high", "Grad-CAM on"};
  // Each event class, in the event table and the counts (short labels: long ones may be cut to fit a column).
  for (const auto& e : analysis["events"])
    if (e["label"].get<std::string>().size() <= 16) expected.push_back(e["label"]);
  for (const auto& want : expected)
    EXPECT_NE(text.find(want), std::string::npos) << "missing: " << want << "\nin:\n" << text;
}

// The events and counts section of a report's text.
// The events and counts: up to the served report's own section on the events' checks, or the figures.
std::string events_section(const std::string& text) {
  const auto from = text.find(" Events # class");
  const auto to = std::min(text.find(" Events' explanations checked", from), text.find(" Explanations ", from));
  return from == std::string::npos ? "" : text.substr(from, to == std::string::npos ? std::string::npos : to - from);
}

class ReportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new TestServer(); }
  static void TearDownTestSuite() { delete server_; }

  // The 90 s file analysed once per suite.
  static json long_analysis() {
    static json analysis = [] {
      auto c = server_->client();
      c.set_read_timeout(300);
      auto res = upload(c, "/api/v1/analyses", "04_long_90s_concat.wav", read_file(shared_audio(long_file)));
      EXPECT_EQ(res->status, 201) << res->body;
      return json_of(res);
    }();
    return analysis;
  }
  static std::string served_report(const std::string& id) {
    auto c = server_->client();
    c.set_read_timeout(300);
    auto res = c.Get(("/api/v1/analyses/" + id + "/report.pdf").c_str());
    EXPECT_EQ(res->status, 200) << res->body;
    return res->body;
  }

  static TestServer* server_;
};
TestServer* ReportTest::server_ = nullptr;

TEST_F(ReportTest, ServedReportHoldsTheRecordingModelPredictionsEventsAndStatement) {
  if (!have_poppler()) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  auto c = server_->client();
  c.set_read_timeout(300);
  const json analysis = long_analysis();
  const std::string id = analysis["id"];

  auto pdf = c.Get(("/api/v1/analyses/" + id + "/report.pdf").c_str());
  ASSERT_EQ(pdf->status, 200) << pdf->body;
  EXPECT_EQ(pdf->get_header_value("Content-Type"), "application/pdf");
  // Named after the recording, not the analysis id.
  EXPECT_EQ(pdf->get_header_value("Content-Disposition"),
            "attachment; filename=\"04_long_90s_concat.report.pdf\"; filename*=UTF-8''04_long_90s_concat.report.pdf");
  ASSERT_EQ(pdf->body.substr(0, 5), "%PDF-");
  const std::string text = pdf_text(pdf->body);
  expect_report_of(text, analysis, "04_long_90s_concat.wav");
  // The date is the analysis' own; no path of the server's disk is printed.
  EXPECT_NE(text.find(analysis["created_at"].get<std::string>()), std::string::npos) << text;
  EXPECT_EQ(text.find(models_dir()), std::string::npos) << text;
  EXPECT_EQ(text.find(server_->data_dir().string()), std::string::npos) << text;

  // Cached: the same bytes again.
  EXPECT_EQ(served_report(id), pdf->body);
}

TEST_F(ReportTest, UnknownIdOrDeletedAudioIs404Json) {
  auto c = server_->client();
  expect_error(c.Get("/api/v1/analyses/0123456789abcdef0123456789abcdef/report.pdf"), 404, "not_found");
  expect_error(c.Get("/api/v1/analyses/nope/report.pdf"), 404, "not_found");
  const std::string id = json_of(upload(c, "/api/v1/analyses", "vanishing.flac",
                                        read_file(shared_audio("cough/000fb67b-2409-4e61-b9f2-33ab3ff2487b.flac")),
                                        {{"top_k", "1", "", ""}}))["id"];
  fs::remove(server_->data_dir() / "data" / "audio" / id);
  auto res = c.Get(("/api/v1/analyses/" + id + "/report.pdf").c_str());
  expect_error(res, 404, "not_found");
  EXPECT_EQ(res->body.find(server_->data_dir().string()), std::string::npos) << res->body;
}

// The text of a report with its line breaks as spaces (a sentence may wrap).
std::string flat_text(const std::string& pdf) {
  std::string text = pdf_text(pdf);
  for (char& ch : text)
    if (ch == '\n') ch = ' ';
  return text;
}

std::string two_decimals(double v) {
  char text[16];
  std::snprintf(text, sizeof text, "%.2f", v);
  return text;
}

// ?classes= makes the report of what the page looked at: a class the analysis did not explain (pinned on the
// page) with every method the page computed for it and their checks as computed (faithfulness with its random
// map, sanity, listening: the same numbers as the page's), the analysis' own map of its top class, a class
// never explained drawn for the report and said to have no checks; the events as reviewed, the note and labels.
TEST_F(ReportTest, TheReportOfWhatWasLookedAtCarriesEachClassesMethodsChecksReviewNoteAndLabels) {
  if (!have_poppler()) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  auto c = server_->client();
  c.set_read_timeout(600);
  const json analysis = json_of(upload(c, "/api/v1/analyses", "ward 7 night 3.wav",
                                       read_file(shared_audio(long_file)), {{"top_k", "1", "", ""}}));
  const std::string id = analysis["id"], base = "/api/v1/analyses/" + id;
  const int top = analysis["predictions"][0]["index"];
  // Pinned: a class of the recording's events that the analysis did not explain (not among its predictions).
  int pinned = -1;
  for (const auto& e : analysis["events"])
    if (e["index"] != top) pinned = e["index"];
  ASSERT_GE(pinned, 0) << "the 90 s file has coughs and sneezes: one of them is not its top class";
  ASSERT_GE(analysis["events"].size(), 2u);
  ASSERT_EQ(c.Patch(base.c_str(), R"({"note": "night 3, after the inhaler", "labels": ["ward-7", "patient-0042"]})",
                    "application/json")->status, 200);
  ASSERT_EQ(c.Patch((base + "/events/0").c_str(), R"({"status": "confirmed"})", "application/json")->status, 200);
  ASSERT_EQ(c.Patch((base + "/events/1").c_str(), R"({"status": "rejected"})", "application/json")->status, 200);

  // What the page did for the pinned class: Layer-CAM with faithfulness (the default), then Grad-CAM with the
  // sanity check and with listening.
  const std::string cls = std::to_string(pinned);
  auto layercam = c.Get((base + "/explanation?class=" + cls + "&method=layercam").c_str());
  ASSERT_EQ(layercam->status, 200) << layercam->body.substr(0, 300);
  const json faithful = json_of(layercam)["faithfulness"];
  ASSERT_TRUE(faithful["score"].is_number() && faithful["random_score"].is_number()) << faithful.dump();
  auto sanity = c.Get((base + "/explanation?class=" + cls + "&method=gradcam&sanity=1").c_str());
  ASSERT_EQ(sanity->status, 200) << sanity->body.substr(0, 300);
  auto listened = c.Get((base + "/explanation?class=" + cls + "&method=gradcam&listen=1").c_str());
  ASSERT_EQ(listened->status, 200) << listened->body.substr(0, 300);
  const std::string label = json_of(layercam)["label"];

  // Pinned, the top class, and Speech (0), never explained.
  const std::string url = base + "/report.pdf?classes=" + cls + "," + std::to_string(top) + ",0";
  auto pdf = c.Get(url.c_str());
  ASSERT_EQ(pdf->status, 200) << pdf->body.substr(0, 300);
  const std::string text = flat_text(pdf->body);
  for (const std::string want : std::vector<std::string>{
           label + " (" + cls + ")", "Speech (0)", label + " by layercam", label + " by gradcam", "Layer-CAM on",
           "Grad-CAM on", "Faithfulness " + two_decimals(faithful["score"]),
           "against " + two_decimals(faithful["random_score"]) + " for a random map", "Sanity check",
           "Listening: the model gives " + label, "The analysis' own map.", "Computed for this report",
           "Not computed: faithfulness, sanity check and listening.", "confirmed", "rejected",
           "night 3, after the inhaler", "ward-7, patient-0042"})
    EXPECT_NE(text.find(want), std::string::npos) << "missing: " << want << "\nin:\n" << text;
  // The Grad-CAM figure of the pinned class has all three checks: nothing of it is said to be not computed.
  const auto gradcam = text.find("Listening: the model gives " + label);
  ASSERT_NE(gradcam, std::string::npos);
  const auto next_method = text.find("Method:", gradcam);
  EXPECT_EQ(text.substr(gradcam, next_method - gradcam).find("Not computed"), std::string::npos) << text;

  // The same page, the same report (cached); without classes, the analysis' own.
  const auto again = c.Get(url.c_str());
  ASSERT_EQ(again->status, 200) << again->body.substr(0, 300);
  EXPECT_TRUE(again->body == pdf->body) << "not the cached report:\n" << flat_text(again->body);
  const auto plain = c.Get((base + "/report.pdf").c_str());
  ASSERT_EQ(plain->status, 200);
  EXPECT_TRUE(plain->body != pdf->body);

  // Hostile classes: 400 naming the parameter, before anything is computed, the value cut.
  for (const std::string bad : std::vector<std::string>{"", "abc", "Cough", "527", "-1", "+4", "047", "47,,49", "47,", "1e2",
                                                        "99999999999", "47;49", "47 ", std::string("4\0" "7", 3),
                                                        "0,1,2,3,4,5,6,7,8", std::string(5000, '4'),
                                                        "47," + std::string(100000, ',')}) {
    auto res = c.Get((base + "/report.pdf?classes=" + httplib::detail::encode_query_param(bad)).c_str());
    ASSERT_TRUE(res) << bad.size();
    if (res->status == 414 || res->status == 431) continue;  // the server's line limit came first: refused as well
    expect_error(res, 400, "bad_request");
    EXPECT_NE(res->body.find("parameter classes"), std::string::npos) << bad.substr(0, 40) << ": " << res->body;
    EXPECT_LT(res->body.size(), 600u) << "the value is cut";
  }
}

// An analysis that explained a class absent from its recording, with faithfulness, stores a null score
// (no verdict): its report says so instead of failing (it was a 500: the null was read as a number).
TEST_F(ReportTest, AnAbsentClassesNullFaithfulnessIsReportedAsNoVerdict) {
  if (!have_poppler()) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  auto c = server_->client();
  c.set_read_timeout(300);
  auto res = upload(c, "/api/v1/analyses", "cough.flac", read_file(shared_audio("cough/000fb67b-2409-4e61-b9f2-33ab3ff2487b.flac")),
                    {{"top_k", "1", "", ""}, {"classes", "49", "", ""}, {"faithfulness", "1", "", ""}});
  ASSERT_EQ(res->status, 201) << res->body.substr(0, 300);
  const json analysis = json_of(res);
  bool null_score = false;
  for (const auto& e : analysis["explanations"])
    if (e["index"] == 49) null_score = e["faithfulness"]["score"].is_null();
  ASSERT_TRUE(null_score) << "Sneeze is absent from a cough: its faithfulness has no score";
  auto pdf = c.Get(("/api/v1/analyses/" + analysis["id"].get<std::string>() + "/report.pdf").c_str());
  ASSERT_EQ(pdf->status, 200) << pdf->body.substr(0, 300);
  const std::string text = flat_text(pdf->body);
  EXPECT_NE(text.find("no verdict, Sneeze is absent"), std::string::npos) << text;
  EXPECT_NE(text.find("The analysis' own map."), std::string::npos) << text;
}

// soundlens analyze FILE... --report OUT.pdf writes OUT_<stem>.pdf per file,
// with the same events as the API's report of the same file.
TEST_F(ReportTest, CliWritesTheReportOfEachFileWithTheApisEvents) {
  if (!have_poppler()) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  const fs::path dir = temp_path("report-cli");
  fs::create_directories(dir);
  const std::string cough = shared_audio("cough/000fb67b-2409-4e61-b9f2-33ab3ff2487b.flac");
  const std::string command = soundlens_binary() + " analyze --model-dir '" + models_dir() + "' --json --report '" +
                              (dir / "out.pdf").string() + "' '" + shared_audio(long_file) + "' '" + cough + "'";
  const std::string output = command_output(command + " 2>/dev/null");
  const fs::path long_pdf = dir / "out_04_long_90s_concat.pdf";
  const fs::path cough_pdf = dir / "out_000fb67b-2409-4e61-b9f2-33ab3ff2487b.pdf";
  ASSERT_TRUE(fs::exists(long_pdf)) << output;
  ASSERT_TRUE(fs::exists(cough_pdf)) << output;
  EXPECT_FALSE(fs::exists(dir / "out.pdf"));

  const json served = long_analysis();
  const std::string text = pdf_file_text(long_pdf);
  expect_report_of(text, served, "04_long_90s_concat.wav");
  const std::string served_events = events_section(pdf_text(served_report(served["id"])));
  EXPECT_FALSE(served_events.empty());
  EXPECT_EQ(events_section(text), served_events);
  // Each report is its own file's.
  EXPECT_EQ(text.find("000fb67b"), std::string::npos);
  EXPECT_NE(pdf_file_text(cough_pdf).find("000fb67b-2409-4e61-b9f2-33ab3ff2487b.flac"), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace soundlens::test
