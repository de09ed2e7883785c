// Reviews of events over real HTTP on a real recording (the metro clip: two events): PATCH
// /api/v1/analyses/{id}/events/{event_index} stored and served back (the
// event's review, the counts after review, the exports), hostile bodies and
// indices answered 400/404/413/415, and with authentication on: another
// user's analysis 404, the reviewer named, the review audited.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "command_output.h"
#include "storage/auth_store.h"
#include "test_paths.h"
#include "test_server.h"

namespace soundlens::test {
namespace {
using nlohmann::json;

const std::string metro = "example/metro_station-paris.wav";

class ReviewHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new TestServer();
    auto c = server_->client();
    auto res = upload(c, "/api/v1/analyses", "metro station.wav", read_file(shared_audio(metro)));
    ASSERT_EQ(res->status, 201) << res->body;
    created_ = new json(json_of(res));
    id_ = (*created_)["id"];
    ASSERT_GE((*created_)["events"].size(), 2u) << "the metro clip has fewer than two events";
  }
  static void TearDownTestSuite() {
    delete server_;
    delete created_;
  }
  static httplib::Result patch(const std::string& index, const std::string& body,
                               const std::string& type = "application/json", const std::string& id = id_) {
    auto c = server_->client();
    return c.Patch(("/api/v1/analyses/" + id + "/events/" + index).c_str(), body, type.c_str());
  }
  static json analysis() {
    auto c = server_->client();
    return json_of(c.Get(("/api/v1/analyses/" + id_).c_str()));
  }
  static json count_of(const json& a, const std::string& label) {
    for (const auto& c : a["event_counts"])
      if (c["label"] == label) return c;
    return nullptr;
  }

  static TestServer* server_;
  static json* created_;
  static std::string id_;
};
TestServer* ReviewHttpTest::server_ = nullptr;
json* ReviewHttpTest::created_ = nullptr;
std::string ReviewHttpTest::id_;

TEST_F(ReviewHttpTest, EveryEventStartsUnreviewedAndTheCountsSaySo) {
  const json& a = *created_;
  ASSERT_FALSE(a["events"].empty());
  for (const auto& e : a["events"]) {
    EXPECT_EQ(e["review"]["status"], "unreviewed");
    EXPECT_TRUE(e["review"]["reviewed_at"].is_null());
  }
  const json first_count = count_of(a, a["events"][0]["label"]);
  ASSERT_FALSE(first_count.is_null()) << a["event_counts"].dump();
  EXPECT_EQ(first_count["detected"], first_count["count"]);
  EXPECT_EQ(first_count["unreviewed"], first_count["count"]);
  EXPECT_EQ(first_count["confirmed"], 0);
}

TEST_F(ReviewHttpTest, AReviewIsStoredServedCountedAndExported) {
  const json before = analysis();
  ASSERT_FALSE(before["events"].empty());
  const json first = before["events"][0];
  const int detected = count_of(before, first["label"])["detected"];
  // Confirm, then relabel as Sneeze with corrected times: fields left out keep their value.
  auto res = patch("0", R"({"status": "confirmed"})");
  ASSERT_EQ(res->status, 200) << res->body;
  const json confirmed = json_of(res);
  EXPECT_EQ(confirmed["event_index"], 0);
  EXPECT_EQ(confirmed["event"]["review"]["status"], "confirmed");
  EXPECT_EQ(confirmed["event"]["review"]["reviewer"], "");  // authentication off
  EXPECT_TRUE(confirmed["event"]["review"]["reviewed_at"].is_string());
  const double onset = first["onset_s"].get<double>() + 0.1;
  const double offset = first["offset_s"].get<double>() - 0.05;
  res = patch("0", json{{"label", "sneeze"}, {"onset_s", onset}, {"offset_s", offset}}.dump());
  ASSERT_EQ(res->status, 200) << res->body;
  const json relabelled = json_of(res)["event"]["review"];
  EXPECT_EQ(relabelled["status"], "confirmed");  // kept
  EXPECT_EQ(relabelled["label"], "Sneeze");       // the model's own spelling
  EXPECT_EQ(relabelled["index"], 49);
  EXPECT_NEAR(relabelled["onset_s"].get<double>(), onset, 1e-3);

  const json after = analysis();
  EXPECT_EQ(after["events"][0]["review"], relabelled);
  EXPECT_EQ(after["events"][0]["label"], first["label"]);  // the detection itself is unchanged
  const json sneeze = count_of(after, "Sneeze");
  ASSERT_FALSE(sneeze.is_null());
  EXPECT_EQ(sneeze["confirmed"], 1);
  EXPECT_EQ(sneeze["count"], 1);
  EXPECT_EQ(count_of(after, first["label"])["count"], detected - 1);  // counted under its new class only
  EXPECT_EQ(count_of(after, first["label"])["detected"], detected);

  // The CSV export carries it: the corrected class and times, and the status.
  auto c = server_->client();
  const auto csv = c.Get(("/api/v1/analyses/" + id_ + "/events.csv").c_str());
  ASSERT_EQ(csv->status, 200);
  EXPECT_NE(csv->body.find(",review\r\n"), std::string::npos) << csv->body;
  EXPECT_NE(csv->body.find("49,Sneeze,"), std::string::npos) << csv->body;
  EXPECT_NE(csv->body.find(",confirmed\r\n"), std::string::npos) << csv->body;
  EXPECT_NE(c.Get(("/api/v1/analyses/" + id_ + "/labels.txt").c_str())->body.find("Sneeze (confirmed)"),
            std::string::npos);

  // Back to the detected class and times with null; then rejected: no longer counted.
  res = patch("0", R"({"label": null, "onset_s": null, "offset_s": null, "status": "rejected"})");
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_TRUE(json_of(res)["event"]["review"]["label"].is_null());
  const json rejected = analysis();
  EXPECT_TRUE(count_of(rejected, "Sneeze").is_null());
  EXPECT_EQ(count_of(rejected, first["label"])["rejected"], 1);
  EXPECT_EQ(count_of(rejected, first["label"])["count"], detected - 1);
  ASSERT_EQ(patch("0", R"({"status": "unreviewed"})")->status, 200);
  EXPECT_EQ(count_of(analysis(), first["label"])["count"], detected);
}

TEST_F(ReviewHttpTest, HostileIndicesAndBodiesAreClearErrors) {
  ASSERT_FALSE((*created_)["events"].empty());
  const double duration = (*created_)["duration_s"];
  const json first = (*created_)["events"][0];
  const std::string n = std::to_string((*created_)["events"].size());
  expect_error(patch(n, R"({"status": "confirmed"})"), 404, "not_found");  // one past the last
  expect_error(patch("99999", R"({"status": "confirmed"})"), 404, "not_found");
  for (const std::string index : {"-1", "abc", "1e3", "0x1", "99999999999999999999", "%00"}) {
    SCOPED_TRACE(index);
    const auto res = patch(index, R"({"status": "confirmed"})");
    ASSERT_TRUE(res);
    EXPECT_TRUE(res->status == 400 || res->status == 404) << res->status << " " << res->body;
    if (res->status == 400) EXPECT_NE(json_of(res)["error"]["message"].get<std::string>().find("event_index"),
                                      std::string::npos);
  }
  // One index, one spelling, as for ?class= and ?classes=: "00" and "01" are not events 0 and 1.
  for (const std::string index : {"00", "01", "+1", " 1"}) {
    SCOPED_TRACE(index);
    const auto res = patch(index == " 1" ? "%201" : index, R"({"status": "confirmed"})");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << res->body;
    EXPECT_NE(res->body.find("event_index"), std::string::npos) << res->body;
  }
  expect_error(patch("0", R"({"status": "confirmed"})", "application/json", "0123456789abcdef0123456789abcdef"), 404,
               "not_found");
  // Each body names what is wrong with it.
  const std::pair<std::string, std::string> bad[] = {
      {"not json", "not valid JSON (reading stopped at byte 2)"},
      {"[1, 2]", "JSON object"},
      {"{}", "nothing to change"},
      {R"({"status": "maybe"})", "status"},
      {R"({"status": 1})", "status"},
      {R"({"colour": "red"})", "colour"},
      {R"({"onset_s": -1})", "negative"},
      {R"({"onset_s": NaN})", "not valid JSON"},
      {R"({"onset_s": "NaN"})", "onset_s"},
      {R"({"offset_s": 1e999})", "not valid JSON"},  // beyond a double
      {R"({"onset_s": 1e308})", "beyond the end"},
      {json{{"offset_s", duration + 5}}.dump(), "beyond the end"},
      {json{{"onset_s", first["offset_s"]}}.dump(), "before offset_s"},  // would end before it starts
      {json{{"onset_s", 2.0}, {"offset_s", 1.0}}.dump(), "before offset_s"},
      {R"({"label": "Unicorn"})", "Unicorn"},
      {R"({"label": 527})", "527"},
      {R"({"label": -1})", "-1"},
      {R"({"label": 47.5})", "label"},
      {R"({"label": ""})", "label"},
      {R"({"label": ["Cough"]})", "label"},
      {"{\"label\": \"" + std::string(300, 'x') + "\"}", "label"},
      {"{\"status\": \"confirmed\xff\"}", "not valid JSON"},  // ill-formed UTF-8
  };
  for (const auto& [body, says] : bad) {
    SCOPED_TRACE(body.substr(0, 80));
    const auto res = patch("0", body);
    expect_error(res, 400, "bad_request");
    EXPECT_NE(json_of(res)["error"]["message"].get<std::string>().find(says), std::string::npos)
        << json_of(res)["error"]["message"];
  }
  expect_error(patch("0", R"({"status": "confirmed"})", "text/plain"), 415);
  expect_error(patch("0", R"({"status": "confirmed"})", "application/x-www-form-urlencoded"), 415);
  expect_error(patch("0", "{\"status\": \"confirmed\", \"x\": \"" + std::string(5000, 'a') + "\"}"), 413, "too_large");
  // Nothing of that was stored.
  EXPECT_EQ(analysis()["events"][0]["review"]["status"], "unreviewed");
}

// The confirmed events as labelled clips: a ZIP that Python's zipfile reads, one folder per class as
// reviewed, each clip a WAV of the reviewed span, and clips.csv.
TEST_F(ReviewHttpTest, ConfirmedEventsAreExportedAsLabelledClips) {
  const json a = analysis();
  const json first = a["events"][0], second = a["events"][1];
  ASSERT_EQ(patch("0", R"({"status": "confirmed"})")->status, 200);
  ASSERT_EQ(patch("1", R"({"status": "confirmed", "label": "Bus", "onset_s": 6.5, "offset_s": 7.5})")->status, 200);
  auto c = server_->client();
  const auto res = c.Get(("/api/v1/analyses/" + id_ + "/reviewed-clips.zip").c_str());
  ASSERT_EQ(res->status, 200) << res->body.substr(0, 300);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/zip");
  EXPECT_NE(res->get_header_value("Content-Disposition").find("metro station.reviewed-clips.zip"), std::string::npos);
  const auto path = std::filesystem::temp_directory_path() / ("soundlens-clips-" + std::to_string(::getpid()) + ".zip");
  std::ofstream(path, std::ios::binary) << res->body;
  // Each WAV's folder, rate, channels and length in samples; then clips.csv.
  const auto read = test::run_command(
      "python3 -c \"import io, sys, wave, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None\n"
      "for n in sorted(z.namelist()):\n"
      "  if n.endswith('.wav'):\n"
      "    w = wave.open(io.BytesIO(z.read(n))); print(n, w.getframerate(), w.getnchannels(), w.getnframes())\n"
      "print(z.read('clips.csv').decode().splitlines()[0])\" " + path.string() + " 2>&1");
  std::filesystem::remove(path);
  ASSERT_EQ(read.status, 0) << read.out;
  const std::string label = first["label"];
  const int frames = int(std::lround(first["offset_s"].get<double>() * 32000)) -
                     int(std::lround(first["onset_s"].get<double>() * 32000));
  const std::string first_line = label + "/metro_station_e0_" +
                                 std::to_string(std::lround(first["onset_s"].get<double>() * 1000)) + "ms.wav 32000 1 " +
                                 std::to_string(frames);
  EXPECT_NE(read.out.find("Bus/metro_station_e1_6500ms.wav 32000 1 32000\n"), std::string::npos) << read.out;
  EXPECT_NE(read.out.find(first_line + "\n"), std::string::npos) << read.out << "\nexpected " << first_line;
  EXPECT_NE(read.out.find("file,index,label,onset_s,offset_s,event_index,probability"), std::string::npos) << read.out;
  // Back to unreviewed: no clip, only the manifest.
  ASSERT_EQ(patch("0", R"({"status": "unreviewed"})")->status, 200);
  ASSERT_EQ(patch("1", R"({"status": "unreviewed", "label": null, "onset_s": null, "offset_s": null})")->status, 200);
  const auto empty = c.Get(("/api/v1/analyses/" + id_ + "/reviewed-clips.zip").c_str());
  ASSERT_EQ(empty->status, 200);
  EXPECT_EQ(empty->body.find(".wav"), std::string::npos);
  EXPECT_NE(empty->body.find("clips.csv"), std::string::npos);
  expect_error(c.Get("/api/v1/analyses/0123456789abcdef0123456789abcdef/reviewed-clips.zip"), 404, "not_found");
}

// The served report is of the analysis as reviewed, and a review makes a new one (the cached report is per review).
TEST_F(ReviewHttpTest, TheReportShowsTheReviewAndFollowsIt) {
  if (test::command_output("command -v pdftotext").empty()) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  auto c = server_->client();
  const std::string path = "/api/v1/analyses/" + id_ + "/report.pdf";
  ASSERT_EQ(patch("0", R"({"status": "rejected"})")->status, 200);
  const auto first = c.Get(path.c_str());
  ASSERT_EQ(first->status, 200);
  const std::string text = test::pdf_text(first->body);
  EXPECT_NE(text.find("As reviewed"), std::string::npos) << text;
  EXPECT_NE(text.find("rejected"), std::string::npos) << text;
  EXPECT_NE(text.find("unreviewed"), std::string::npos) << text;
  ASSERT_EQ(patch("0", R"({"status": "confirmed", "label": "Bus"})")->status, 200);
  const std::string after = test::pdf_text(c.Get(path.c_str())->body);
  EXPECT_NE(after.find("Bus"), std::string::npos) << after;
  EXPECT_NE(after.find("confirmed"), std::string::npos) << after;
  ASSERT_EQ(patch("0", R"({"status": "unreviewed", "label": null})")->status, 200);
}

TEST(ReviewedClipsHttpTest, WithoutTheRecordingTheClipsAreGone) {
  TestServer server({.store_audio = false});
  auto c = server.client();
  auto created = upload(c, "/api/v1/analyses", "metro.wav", read_file(shared_audio(metro)));
  ASSERT_EQ(created->status, 201) << created->body;
  const std::string id = json_of(created)["id"];
  ASSERT_EQ(c.Patch(("/api/v1/analyses/" + id + "/events/0").c_str(), R"({"status": "confirmed"})", "application/json")
                ->status,
            200);  // reviews need no recording
  const auto res = c.Get(("/api/v1/analyses/" + id + "/reviewed-clips.zip").c_str());
  expect_error(res, 410, "gone");
  EXPECT_NE(json_of(res)["error"]["message"].get<std::string>().find("store"), std::string::npos) << res->body;
}

TEST(ReviewAuthHttpTest, OwnedLikeTheNoteAndAudited) {
  TestServer server({.auth = auth::AuthMode::required});
  const std::string ann = server.issue_key("ann"), bob = server.issue_key("bob");
  const std::string bob_read = server.issue_key("bob", auth::Role::member, auth::Scope::read);
  auto c = server.client();
  c.set_default_headers({{"Authorization", "Bearer " + bob}});
  auto created = upload(c, "/api/v1/analyses", "bob.wav", read_file(shared_audio(metro)));
  ASSERT_EQ(created->status, 201) << created->body;
  const std::string id = json_of(created)["id"];
  const std::string path = "/api/v1/analyses/" + id + "/events/0";
  auto other = server.client();
  other.set_default_headers({{"Authorization", "Bearer " + ann}});
  expect_error(other.Patch(path.c_str(), R"({"status": "rejected"})", "application/json"), 404, "not_found");
  auto reader = server.client();
  reader.set_default_headers({{"Authorization", "Bearer " + bob_read}});
  expect_error(reader.Patch(path.c_str(), R"({"status": "rejected"})", "application/json"), 403, "forbidden");
  auto nobody = server.client();
  expect_error(nobody.Patch(path.c_str(), R"({"status": "rejected"})", "application/json"), 401);
  // An event's check is owned as its analysis is: another user's is unknown, nobody's is 401.
  const std::string check = "/api/v1/analyses/" + id + "/explanation?event=0";
  expect_error(other.Get(check.c_str()), 404, "not_found");
  expect_error(other.Get(("/api/v1/analyses/" + id + "/explanation.wav?event=0").c_str()), 404, "not_found");
  expect_error(nobody.Get(check.c_str()), 401);
  EXPECT_EQ(reader.Get(check.c_str())->status, 200) << "the owner's read-only key may look";

  auto res = c.Patch(path.c_str(), R"({"status": "confirmed"})", "application/json");
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(json_of(res)["event"]["review"]["reviewer"], "bob");
  EXPECT_EQ(json_of(c.Get(("/api/v1/analyses/" + id).c_str()))["events"][0]["review"]["status"], "confirmed");
  const auto audit = server.auth_store().list_audit(10, 0);
  ASSERT_FALSE(audit.items.empty());
  EXPECT_EQ(audit.items[0].action, "review");
  EXPECT_EQ(audit.items[0].user_name, "bob");
  EXPECT_EQ(audit.items[0].analysis_id, id);
  for (const auto& item : audit.items) EXPECT_NE(item.user_name, "ann");  // refused changes are not audited
}

}  // namespace
}  // namespace soundlens::test

namespace soundlens::test {
namespace {

// Each count says its class's detection threshold: the model's calibrated one (data/thresholds/mn04_as.csv,
// read here independently of the program), else the analysis' event_threshold (0.5 by default); every
// event of the class peaked at or above it, so the page's threshold control can start from it.
TEST_F(ReviewHttpTest, EachCountSaysItsDetectionThresholdWhichItsEventsReached) {
  std::map<int, double> calibrated;
  std::ifstream table(source_dir() + "/data/thresholds/mn04_as.csv");
  ASSERT_TRUE(table) << "no data/thresholds/mn04_as.csv";
  for (std::string line; std::getline(table, line);) {
    if (line.empty() || line[0] == '#' || line.rfind("index,", 0) == 0) continue;
    std::vector<std::string> f;
    std::stringstream fields(line);
    for (std::string x; std::getline(fields, x, ',');) f.push_back(x);
    calibrated[std::stoi(f[0])] = std::stod(f[2]);
  }
  const json a = analysis();
  ASSERT_FALSE(a["event_counts"].empty());
  for (const auto& c : a["event_counts"]) {
    ASSERT_TRUE(c.contains("threshold")) << c.dump();
    const int index = c["index"];
    const double expected = calibrated.contains(index) ? calibrated[index] : 0.5;
    EXPECT_DOUBLE_EQ(c["threshold"].get<double>(), expected) << c.dump();
    for (const auto& e : a["events"])
      if (e["index"] == index) EXPECT_GE(e["probability"].get<double>(), expected - 1e-4) << e.dump();
  }
  // The answer to a review says it too.
  const json answer = json_of(patch("1", R"({"status": "unreviewed"})"));
  for (const auto& c : answer["event_counts"]) EXPECT_TRUE(c["threshold"].is_number()) << c.dump();
}

}  // namespace
}  // namespace soundlens::test

namespace soundlens::test {
namespace {

// Checks on every event: explanation?event=N explains the event's class as reviewed on its window
// (the analysis window centred on it, inside the recording), with faithfulness and, with listen=1,
// the listening search; cached under the event's class and times, so a review makes a new one.
TEST_F(ReviewHttpTest, EachEventIsExplainedAndCheckedOnItsWindowAsReviewed) {
  auto c = server_->client();
  const json a = analysis();
  const double duration = a["duration_s"];
  const std::size_t last = a["events"].size() - 1;
  const json event = a["events"][last];
  const int detected_class = event["review"]["index"].is_null() ? event["index"].get<int>()
                                                                 : event["review"]["index"].get<int>();
  const std::string base = "/api/v1/analyses/" + id_ + "/explanation?event=" + std::to_string(last);
  const auto res = c.Get((base + "&listen=1").c_str());
  ASSERT_EQ(res->status, 200) << res->body;
  const json e = json_of(res);
  EXPECT_EQ(e["event"]["index"], last);
  EXPECT_EQ(e["event"]["class_index"], detected_class);
  EXPECT_EQ(e["index"], detected_class);
  ASSERT_TRUE(e.contains("faithfulness")) << "faithfulness is on by default, as for the whole recording";
  ASSERT_TRUE(e.contains("listen"));
  EXPECT_TRUE(e["listen"].contains("kept_probability"));
  const double start = e["window"]["start_s"], end = e["window"]["end_s"];
  EXPECT_GE(start, 0.0);
  EXPECT_LE(end, duration + 1e-9);
  const double event_s = e["event"]["offset_s"].get<double>() - e["event"]["onset_s"].get<double>();
  EXPECT_NEAR(end - start, std::min(std::max(3.2, event_s), duration), 1e-6)
      << "the 3.2 s mn04_as pools its frames over (the whole event if longer), inside the clip";
  EXPECT_LE(start, e["event"]["onset_s"].get<double>());
  EXPECT_GE(end, e["event"]["offset_s"].get<double>());
  EXPECT_NEAR(double(e["cols"]) * double(e["seconds_per_column"]), end - start, 0.33) << "a map of the window";
  // Cached: the same bytes again; the kept audio of the same search as WAV.
  EXPECT_EQ(c.Get((base + "&listen=1").c_str())->body, res->body);
  const auto wav = c.Get(("/api/v1/analyses/" + id_ + "/explanation.wav?part=kept&event=" + std::to_string(last)).c_str());
  ASSERT_EQ(wav->status, 200) << wav->body;
  EXPECT_EQ(wav->body.substr(0, 4), "RIFF");
  EXPECT_NEAR(double(wav->body.size() - 44) / (2 * 32000), end - start, 0.01);

  // A relabel changes what is explained: the event's new class, a new cache entry.
  ASSERT_EQ(patch(std::to_string(last), R"({"label": "Dog"})")->status, 200);
  const json relabelled = json_of(c.Get(base.c_str()));
  EXPECT_EQ(relabelled["event"]["label"], "Dog");
  EXPECT_EQ(relabelled["index"], 74) << relabelled.dump().substr(0, 300);
  ASSERT_EQ(patch(std::to_string(last), R"({"label": null})")->status, 200);
  EXPECT_EQ(json_of(c.Get(base.c_str()))["index"], detected_class);
}

// The report lists the events whose explanation was checked, with the checks in words, and is made
// again once another event is checked.
TEST_F(ReviewHttpTest, TheReportListsTheEventsChecked) {
  if (test::command_output("command -v pdftotext").empty()) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  auto c = server_->client();
  const std::string path = "/api/v1/analyses/" + id_ + "/report.pdf";
  const json a = analysis();
  ASSERT_GE(a["events"].size(), 2u);
  ASSERT_EQ(c.Get(("/api/v1/analyses/" + id_ + "/explanation?event=0&listen=1").c_str())->status, 200);
  const std::string one = test::pdf_text(c.Get(path.c_str())->body);
  EXPECT_NE(one.find("Events' explanations checked"), std::string::npos) << one;
  EXPECT_NE(one.find("#1 "), std::string::npos) << one;
  EXPECT_NE(one.find("Faithfulness"), std::string::npos) << one;
  EXPECT_NE(one.find("Listening"), std::string::npos) << one;
  EXPECT_EQ(one.find("#2 "), std::string::npos) << "event 2 was not checked";
  ASSERT_EQ(c.Get(("/api/v1/analyses/" + id_ + "/explanation?event=1&method=layercam").c_str())->status, 200);
  const std::string two = test::pdf_text(c.Get(path.c_str())->body);
  EXPECT_NE(two.find("#2 "), std::string::npos) << two;
  EXPECT_NE(two.find("layercam on"), std::string::npos) << two;
}

TEST_F(ReviewHttpTest, HostileEventsForTheExplanationAreClearErrors) {
  auto c = server_->client();
  const std::string n = std::to_string(analysis()["events"].size());
  for (const std::string route : {"explanation", "explanation.wav"}) {
    const std::string base = "/api/v1/analyses/" + id_ + "/" + route + "?";
    SCOPED_TRACE(route);
    expect_error(c.Get((base + "event=" + n).c_str()), 404, "not_found");
    expect_error(c.Get((base + "event=99999").c_str()), 404, "not_found");
    for (const std::string bad : {"00", "01", "-1", "+1", "1e0", "0x1", "abc", "", "%00", "99999999999999999999",
                                  "1%2C2"}) {
      SCOPED_TRACE(bad);
      const auto res = c.Get((base + "event=" + bad).c_str());
      expect_error(res, 400, "bad_request");
      EXPECT_NE(json_of(res)["error"]["message"].get<std::string>().find("event"), std::string::npos);
    }
    const auto both = c.Get((base + "event=0&class=0").c_str());
    expect_error(both, 400, "bad_request");
    EXPECT_NE(json_of(both)["error"]["message"].get<std::string>().find("class or event"), std::string::npos);
    expect_error(c.Get((base + "event=0&event=1").c_str()), 400, "bad_request");
    expect_error(c.Get(("/api/v1/analyses/0123456789abcdef0123456789abcdef/" + route + "?event=0").c_str()), 404,
                 "not_found");
  }
}

}  // namespace
}  // namespace soundlens::test
