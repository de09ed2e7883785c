// The PDF report: read back with poppler's pdftotext and pdfimages.
#include "render/report_pdf.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/error.h"
#include "command_output.h"
#include "synthetic.h"

namespace soundlens {
namespace {

namespace fs = std::filesystem;
using test::command_output;
using test::pdf_file_text;

// Writes the PDF to a temporary file and returns its path; removed by the caller.
fs::path save(const std::vector<std::uint8_t>& pdf, const std::string& name) {
  const auto path = fs::temp_directory_path() / (name + "-" + std::to_string(::getpid()) + ".pdf");
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(pdf.data()), std::streamsize(pdf.size()));
  return path;
}

struct Example {
  MelSpectrogram mel = synthetic::chirp(10);
  CamMap cough = synthetic::blob_cam(4, 32, 0.32, 32, 2.0, 40, 0.5, 20);
  CamMap speech = synthetic::blob_cam(4, 32, 0.32, 32, 7.0, 90, 0.8, 20);
  ReportInput input;
  Example() {
    input.file_name = "night-ward-3.wav";
    input.format = "wav / pcm_s16le, 44100 Hz, 1 channel";
    input.duration_s = 10;
    input.sha256 = std::string(64, 'a');
    input.soundlens_version = "0.9.1-test";
    input.model = "mn04_as";
    input.weights_file = "efficientat/mn04_as_mAP_432.pt";
    input.weights_sha256 = std::string(32, 'b') + std::string(32, 'c');
    input.date = "2026-11-28T03:00:00Z";
    input.parameters = {{"top_k", "5"}, {"window_s", "5"}, {"hop_s", "1"}, {"event_window_high", "0.3"}};
    input.predictions = {{47, "Cough", 0.91f}, {0, "Speech", 0.42f}};
    input.figures = {{{47, "Cough", 0.91f}, "Grad-CAM on features.16 (score: logit)", 0.734, &mel, &cough},
                     {{0, "Speech", 0.42f}, "Grad-CAM on features.16 (score: logit)", std::nullopt, &mel, &speech}};
    input.events = {{47, "Cough", 1.60, 2.56, 0.91f, 250, 2800}, {0, "Speech", 6.4, 7.68, 0.42f, 300, 3400}};
    input.counts = {{47, "Cough", 1, 360}, {0, "Speech", 1, 360}};
    input.quality = {{"narrowband", false, 15000, "Hz", "Energy reaches 15000 Hz."},
                     {"clipping", true, 0.02, "fraction", "2.00 % of the samples are at full scale."}};
  }
};

TEST(ReportPdf, HoldsTheStatementProvenanceResultsAndFlagsAsText) {
  if (command_output("command -v pdftotext").empty()) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  Example ex;
  const auto pdf = render_report_pdf(ex.input);
  ASSERT_GT(pdf.size(), 1000u);
  EXPECT_EQ(std::string(pdf.begin(), pdf.begin() + 5), "%PDF-");
  const auto path = save(pdf, "report");
  const std::string text = pdf_file_text(path);
  fs::remove(path);
  for (const std::string& expected : {std::string(kReportStatement),
                                      std::string("night-ward-3.wav"),
                                      ex.input.format,
                                      ex.input.sha256,
                                      std::string("0.9.1-test"),
                                      std::string("mn04_as"),
                                      std::string("efficientat/mn04_as_mAP_432.pt"),
                                      ex.input.weights_sha256,
                                      ex.input.date,
                                      std::string("window_s"),
                                      std::string("event_window_high"),
                                      std::string("Cough"),
                                      std::string("0.910"),
                                      std::string("Speech"),
                                      std::string("1.60"),
                                      std::string("7.68"),
                                      std::string("250 - 2800"),
                                      std::string("360.0"),
                                      std::string("narrowband"),
                                      std::string("clipping"),
                                      std::string("2.00 % of the samples"),
                                      std::string("Grad-CAM on features.16"),
                                      std::string("0.734"),
                                      std::string("not computed"),
                                      std::string("10.00 s")})
    EXPECT_NE(text.find(expected), std::string::npos) << "missing: " << expected << "\nin:\n" << text;
}

// A stored analysis' report: the events table with each event's review, the counts after review.
TEST(ReportPdf, AReviewedAnalysisShowsEachEventsReviewAndTheConfirmedCounts) {
  if (command_output("command -v pdftotext").empty()) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  Example ex;
  ex.input.events[0].label = "Throat clearing";  // relabelled by the reviewer
  ex.input.event_reviews = {"confirmed", "rejected"};
  ex.input.counts = {{60, "Throat clearing", 1, 360}, {0, "Speech", 0, 0}};
  ex.input.count_reviews = {{1, 0, 0}, {0, 1, 0}};
  const auto path = save(render_report_pdf(ex.input), "reviewed");
  const std::string text = pdf_file_text(path);
  fs::remove(path);
  for (const std::string expected : {"As reviewed", "review", "Throat clearing", "confirmed", "rejected", "counted",
                                     "unreviewed"})
    EXPECT_NE(text.find(expected), std::string::npos) << "missing: " << expected << "\nin:\n" << text;
  // Without reviews (the CLI's report) there is no review column.
  Example plain;
  const auto plain_path = save(render_report_pdf(plain.input), "plain");
  const std::string plain_text = pdf_file_text(plain_path);
  fs::remove(plain_path);
  EXPECT_EQ(plain_text.find("As reviewed"), std::string::npos);
  EXPECT_EQ(plain_text.find("unreviewed"), std::string::npos);
}

// What a person added and looked at: the note (its line breaks as spaces), the labels, the viewed classes,
// and a figure's checks in words instead of the bare score; without them, no such section.
TEST(ReportPdf, TheNoteLabelsWhatWasLookedAtAndTheChecksInWords) {
  if (command_output("command -v pdftotext").empty()) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  Example ex;
  ex.input.note = "Night 3:\ncoughs after\tthe inhaler";
  ex.input.labels = {"ward-7", "patient-0042"};
  ex.input.looked_at = "Cough (47) by gradcam; Speech (0) by layercam";
  ex.input.figures[0].checks = "Faithfulness 0.73 against 0.02 for a random map of the same cells";
  const auto path = save(render_report_pdf(ex.input), "annotated");
  std::string text = pdf_file_text(path);
  fs::remove(path);
  for (char& c : text)
    if (c == '\n') c = ' ';
  for (const std::string expected : {"Note, labels and what was looked at", "ward-7, patient-0042",
                                     "Looked at: Cough (47) by gradcam; Speech (0) by layercam",
                                     "Note: Night 3: coughs after the inhaler",
                                     "Faithfulness 0.73 against 0.02 for a random map of the same cells",
                                     "not computed"})  // the second figure has neither score nor words
    EXPECT_NE(text.find(expected), std::string::npos) << "missing: " << expected << "\nin:\n" << text;
  EXPECT_EQ(text.find("Faithfulness: 0.734"), std::string::npos) << "the words replace the bare score";
  Example plain;
  const auto plain_path = save(render_report_pdf(plain.input), "plain-notes");
  const std::string plain_text = pdf_file_text(plain_path);
  fs::remove(plain_path);
  EXPECT_EQ(plain_text.find("what was looked at"), std::string::npos);
}

TEST(ReportPdf, MapsAreVectorGraphicsOverOneSpectrogramImagePerFigure) {
  if (command_output("command -v pdfimages").empty()) GTEST_SKIP() << "pdfimages (poppler-utils) is not installed";
  Example ex;
  const auto path = save(render_report_pdf(ex.input), "report-images");
  const std::string list = command_output("pdfimages -list '" + path.string() + "'");
  fs::remove(path);
  // Two header lines, then one line per image drawn: per figure the spectrogram
  // and the colour bar. Figures of one recording share them: two image objects.
  std::istringstream in(list);
  std::string line;
  std::getline(in, line);
  std::getline(in, line);
  int uses = 0;
  std::set<std::string> objects;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::vector<std::string> f;
    for (std::string x; fields >> x;) f.push_back(x);
    ASSERT_GE(f.size(), 11u) << line;
    ++uses;
    objects.insert(f[10]);  // "object" of "object ID"
  }
  EXPECT_EQ(uses, 2 * int(ex.input.figures.size())) << list;
  EXPECT_EQ(objects.size(), 2u) << list;
}

TEST(ReportPdf, ManyEventsFlowOntoMorePages) {
  if (command_output("command -v pdfinfo").empty()) GTEST_SKIP() << "pdfinfo (poppler-utils) is not installed";
  Example ex;
  for (int i = 0; i < 200; ++i) ex.input.events.push_back({47, "Cough", 10.0 + i, 10.5 + i, 0.5f, 0, 1000});
  const auto path = save(render_report_pdf(ex.input), "report-pages");
  const std::string info = command_output("pdfinfo '" + path.string() + "'");
  const std::string text = command_output("pdftotext '" + path.string() + "' -");
  fs::remove(path);
  const auto at = info.find("Pages:");
  ASSERT_NE(at, std::string::npos);
  EXPECT_GE(std::stoi(info.substr(at + 6)), 4);
  EXPECT_NE(text.find("209.50"), std::string::npos);  // the last event's offset
}

TEST(ReportPdf, AFigureWithoutItsMapIsABadRequest) {
  Example ex;
  ex.input.figures[0].cam = nullptr;
  try {
    render_report_pdf(ex.input);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::bad_request);
  }
}

TEST(ReportPdf, AnEmptyResultStillMakesAReport) {
  ReportInput empty;
  empty.file_name = "x.wav";
  const auto pdf = render_report_pdf(empty);
  EXPECT_EQ(std::string(pdf.begin(), pdf.begin() + 5), "%PDF-");
}

}  // namespace
}  // namespace soundlens
