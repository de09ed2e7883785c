// More than one model behind one server: model= picks the model of an
// analysis (loaded on first use), what is recomputed from a stored analysis
// uses that analysis' model, and models=A,B compares two models on one upload
// (each analysis stored) as `soundlens compare --json` does; GET
// /api/v1/compare?a=&b= compares two stored analyses again. Real weights, real audio.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <set>
#include <thread>

#include "core/error.h"
#include "model/model_registry.h"
#include "render/analysis_figure.h"
#include "test_paths.h"
#include "test_server.h"

namespace soundlens::test {
namespace {
using nlohmann::json;

const std::string metro = "example/metro_station-paris.wav";
const std::string cough = "awkward/01_stereo_44k1_coughing.mp3";
constexpr int train = 329, cough_class = 47;

bool is_id(const json& v) {
  if (!v.is_string() || v.get<std::string>().size() != 32) return false;
  for (char ch : v.get<std::string>())
    if (!std::isxdigit(static_cast<unsigned char>(ch))) return false;
  return true;
}

std::set<int> indices(const json& list) {
  std::set<int> out;
  for (const auto& p : list) out.insert(p["index"].get<int>());
  return out;
}

class CompareApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new TestServer(); }
  static void TearDownTestSuite() { delete server_; }

  // The metro example through both models, once per suite.
  static const json& metro_comparison() {
    static const json comparison = [] {
      auto c = server_->client();
      auto res = upload(c, "/api/v1/analyses", "metro.wav", read_file(shared_audio(metro)),
                        {{"models", "mn04_as,yamnet", "", ""}});
      EXPECT_TRUE(res);
      EXPECT_EQ(res->status, 201) << res->body;
      return json_of(res);
    }();
    return comparison;
  }

  static long total_stored() { return json_of(server_->client().Get("/api/v1/analyses?limit=1"))["total"]; }

  static TestServer* server_;
};
TestServer* CompareApiTest::server_ = nullptr;

TEST_F(CompareApiTest, ModelPicksTheModelOfAnAnalysisAndItIsStoredWithIt) {
  auto c = server_->client();
  auto res = upload(c, "/api/v1/analyses", "metro.wav", read_file(shared_audio(metro)), {{"model", "yamnet", "", ""}});
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 201) << res->body;
  const json a = json_of(res);
  EXPECT_EQ(a["model"], "yamnet");
  EXPECT_GT(a["timeline"].size(), 10u);  // YAMNet's own 0.48 s patches, not the 10 s window
  const std::set<int> top = indices(a["predictions"]);
  EXPECT_TRUE(top.count(train)) << a["predictions"].dump();
  const auto again = json_of(c.Get(("/api/v1/analyses/" + a["id"].get<std::string>()).c_str()));
  EXPECT_EQ(again["model"], "yamnet");
  bool listed = false;
  const json history = json_of(c.Get("/api/v1/analyses?limit=500"));
  for (const auto& item : history["items"])
    if (item["id"] == a["id"]) listed = item["model"] == "yamnet";
  EXPECT_TRUE(listed);
  // The models list says it is loaded now, beside the default.
  const json models = json_of(c.Get("/api/v1/models"));
  int loaded = 0;
  for (const auto& m : models["models"])
    if (m["name"] == "yamnet" || m["name"] == "mn04_as") loaded += m["loaded"] == true;
  EXPECT_EQ(loaded, 2) << models.dump().substr(0, 500);
  // The seed's endpoint takes model= too.
  auto seed = upload(c, "/analyze_audio", "metro.wav", read_file(shared_audio(metro)), {{"model", "yamnet", "", ""}});
  ASSERT_EQ(seed->status, 200) << seed->body;
  EXPECT_EQ(json_of(seed)["predictions"][0]["label"], "Vehicle");  // YAMNet ranks the parent class first here
}

// A job (async=1) runs with the model its upload asked for.
TEST_F(CompareApiTest, AJobRunsWithTheModelItWasAskedFor) {
  auto c = server_->client();
  auto res = upload(c, "/api/v1/analyses", "metro.wav", read_file(shared_audio(metro)),
                    {{"model", "yamnet", "", ""}, {"async", "1", "", ""}});
  ASSERT_EQ(res->status, 202) << res->body;
  const std::string job = json_of(res)["job"]["id"];
  json state;
  for (int i = 0; i < 600; ++i) {
    state = json_of(c.Get(("/api/v1/jobs/" + job).c_str()))["job"];
    if (state["state"] == "done" || state["state"] == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(state["state"], "done") << state.dump();
  const json a = json_of(c.Get(("/api/v1/analyses/" + state["analysis_id"].get<std::string>()).c_str()));
  EXPECT_EQ(a["model"], "yamnet");
  EXPECT_GT(a["timeline"].size(), 10u);
}

// The figure, the explanation, the listening audio and the spectrogram of a
// YAMNet analysis are computed with YAMNet (its layer, its 64 mel bands), the
// figure byte for byte as YAMNet draws it here.
TEST_F(CompareApiTest, WhatIsRecomputedFromAYamnetAnalysisUsesYamnet) {
  const json& comparison = metro_comparison();
  const std::string yamnet_id = comparison["results"]["yamnet"]["id"];
  const std::string mn04_id = comparison["results"]["mn04_as"]["id"];
  auto c = server_->client();
  const auto path = [&](const std::string& id, const std::string& rest) { return "/api/v1/analyses/" + id + rest; };

  const auto explanation = json_of(c.Get(path(yamnet_id, "/explanation?class=329&faithfulness=0").c_str()));
  EXPECT_EQ(explanation["layer"], "layer14") << explanation.dump().substr(0, 300);
  EXPECT_EQ(json_of(c.Get(path(mn04_id, "/explanation?class=329&faithfulness=0").c_str()))["layer"], "features.16");
  EXPECT_EQ(json_of(c.Get(path(yamnet_id, "/spectrogram").c_str()))["rows"], 64);
  EXPECT_EQ(json_of(c.Get(path(mn04_id, "/spectrogram").c_str()))["rows"], 128);
  EXPECT_EQ(json_of(c.Get(path(yamnet_id, "/spectrogram?start_s=1&end_s=2&width=50").c_str()))["rows"], 64);
  // mn04_as's map can be listened through; YAMNet's front end cannot (16 kHz magnitude mel): its own answer.
  auto wav = c.Get(path(mn04_id, "/explanation.wav?class=329").c_str());
  ASSERT_EQ(wav->status, 200) << wav->body.substr(0, 300);
  EXPECT_EQ(wav->body.substr(0, 4), "RIFF");
  auto yamnet_wav = c.Get(path(yamnet_id, "/explanation.wav?class=329").c_str());
  expect_error(yamnet_wav, 400, "bad_request");
  EXPECT_NE(yamnet_wav->body.find("cannot be listened through"), std::string::npos) << yamnet_wav->body;

  auto figure = c.Get(path(yamnet_id, "/figure.png?class=329").c_str());
  ASSERT_EQ(figure->status, 200) << figure->body.substr(0, 300);
  EXPECT_EQ(figure->get_header_value("Content-Type"), "image/png");
  auto mn04_figure = c.Get(path(mn04_id, "/figure.png?class=329").c_str());
  ASSERT_EQ(mn04_figure->status, 200);
  EXPECT_NE(figure->body, mn04_figure->body);
  // YAMNet here draws the same figure of the same audio.
  const std::vector<std::string> dir{models_dir()};
  const Analyzer yamnet(load_model("yamnet", dir), load_labels(dir));
  const Audio audio = decode_file(shared_audio(metro));
  AnalysisOptions options;
  options.top_k = 5;
  const Explanation e = yamnet.explain(audio, train, options);
  const auto png = explanation_figure_png(yamnet.spectrogram(audio), e, "yamnet");
  EXPECT_EQ(figure->body, std::string(png.begin(), png.end()));
}

// The answer has the shape `soundlens compare --json` prints, each result
// carrying the id of its stored analysis, readable and in the history.
TEST_F(CompareApiTest, ModelsComparesTwoModelsAndStoresEachAnalysis) {
  const json& j = metro_comparison();
  ASSERT_EQ(j["models"], json({"mn04_as", "yamnet"}));
  ASSERT_TRUE(j["results"].is_object());
  ASSERT_EQ(j["results"].size(), 2u);
  auto c = server_->client();
  const auto history = json_of(c.Get("/api/v1/analyses?limit=500"))["items"];
  for (const std::string model : {"mn04_as", "yamnet"}) {
    const json& r = j["results"][model];
    EXPECT_EQ(r["model"], model);
    ASSERT_TRUE(is_id(r["id"])) << r["id"];
    EXPECT_EQ(r["filename"], "metro.wav");
    EXPECT_FALSE(r["predictions"].empty());
    EXPECT_TRUE(r.contains("events") && r.contains("explanations") && r.contains("timeline"));
    auto stored = c.Get(("/api/v1/analyses/" + r["id"].get<std::string>()).c_str());
    ASSERT_EQ(stored->status, 200);
    EXPECT_EQ(json_of(stored), r);
    bool listed = false;
    for (const auto& item : history) listed |= item["id"] == r["id"] && item["model"] == model;
    EXPECT_TRUE(listed) << model;
    auto audio = c.Get((r["audio_url"].get<std::string>()).c_str());
    EXPECT_EQ(audio->body, read_file(shared_audio(metro)));
  }
  EXPECT_NE(j["results"]["mn04_as"]["id"], j["results"]["yamnet"]["id"]);

  const json& agreement = j["agreement"];
  const std::set<int> shared = indices(agreement["top_shared"]);
  bool rail = false;
  for (int index : {train, 328, 332, 334}) rail |= shared.count(index) > 0;  // Train, Rail transport, Railroad car, Subway
  EXPECT_TRUE(rail) << agreement["top_shared"].dump();
  ASSERT_EQ(agreement["profile_correlation"].size(), agreement["top_shared"].size());
  for (const auto& r : agreement["profile_correlation"]) {
    ASSERT_TRUE(r["pearson"].is_number()) << r.dump();
    EXPECT_GE(r["pearson"].get<double>(), -1.0);
    EXPECT_LE(r["pearson"].get<double>(), 1.0);
  }
  ASSERT_TRUE(agreement["top_only"].contains("mn04_as") && agreement["top_only"].contains("yamnet"));
  ASSERT_TRUE(agreement["events"]["only"].contains("mn04_as") && agreement["events"]["only"].contains("yamnet"));
  // Every stored event is reported once: matched, or one model's own.
  std::size_t events = 0, reported = 2 * agreement["events"]["both"].size();
  for (const std::string model : {"mn04_as", "yamnet"}) {
    events += j["results"][model]["events"].size();
    reported += agreement["events"]["only"][model].size();
  }
  EXPECT_EQ(reported, events);
  // Since events come from each model's frames with its own thresholds (issue 19), the two models share no
  // event class on this clip (mn04_as: Train, Railroad car, Subway; yamnet: Vehicle), so `both` may be empty;
  // each pair it holds must overlap.
  for (const auto& pair : agreement["events"]["both"]) {
    EXPECT_GT(pair["overlap_s"].get<double>(), 0.0);
    EXPECT_EQ(pair["mn04_as"]["index"], pair["index"]);
    EXPECT_EQ(pair["yamnet"]["index"], pair["index"]);
  }
  EXPECT_GT(j["timings_ms"]["total"].get<double>(), 0.0);
}

// The same agreement as the command line's: both run src/compare.
TEST_F(CompareApiTest, TheAgreementIsTheCommandLines) {
  const json& api = metro_comparison()["agreement"];
  const std::string command = soundlens_binary() + " compare '" + shared_audio(metro) +
                              "' --models mn04_as,yamnet --json --model-dir '" + models_dir() + "' 2>/dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
  ASSERT_EQ(::pclose(pipe), 0) << output.substr(0, 500);
  const json cli = json::parse(output)["agreement"];
  EXPECT_EQ(api["top_shared"], cli["top_shared"]);
  EXPECT_EQ(indices(api["top_only"]["yamnet"]), indices(cli["top_only"]["yamnet"]));
  ASSERT_EQ(api["profile_correlation"].size(), cli["profile_correlation"].size());
  for (std::size_t i = 0; i < api["profile_correlation"].size(); ++i)
    EXPECT_NEAR(api["profile_correlation"][i]["pearson"].get<double>(),
                cli["profile_correlation"][i]["pearson"].get<double>(), 1e-3);
  EXPECT_EQ(api["events"]["both"].size(), cli["events"]["both"].size());
}

// GET /api/v1/compare?a=&b= reloads a comparison from the stored analyses:
// the same models, results and agreement (maps and times as stored, rounded).
TEST_F(CompareApiTest, TwoStoredAnalysesAreComparedAgain) {
  const json& posted = metro_comparison();
  const std::string a = posted["results"]["mn04_as"]["id"], b = posted["results"]["yamnet"]["id"];
  auto c = server_->client();
  auto res = c.Get(("/api/v1/compare?a=" + a + "&b=" + b).c_str());
  ASSERT_EQ(res->status, 200) << res->body.substr(0, 300);
  const json j = json_of(res);
  EXPECT_EQ(j["models"], posted["models"]);
  EXPECT_EQ(j["results"], posted["results"]);
  const json& x = j["agreement"];
  const json& y = posted["agreement"];
  EXPECT_EQ(x["top_shared"], y["top_shared"]);
  EXPECT_EQ(x["top_only"], y["top_only"]);
  ASSERT_EQ(x["profile_correlation"].size(), y["profile_correlation"].size());
  for (std::size_t i = 0; i < x["profile_correlation"].size(); ++i) {
    EXPECT_EQ(x["profile_correlation"][i]["index"], y["profile_correlation"][i]["index"]);
    EXPECT_NEAR(x["profile_correlation"][i]["pearson"].get<double>(),
                y["profile_correlation"][i]["pearson"].get<double>(), 2e-3);
  }
  EXPECT_EQ(x["events"]["both"].size(), y["events"]["both"].size());
  EXPECT_EQ(x["events"]["only"]["yamnet"].size(), y["events"]["only"]["yamnet"].size());
  // The other order gives the other order.
  const json reversed = json_of(c.Get(("/api/v1/compare?a=" + b + "&b=" + a).c_str()));
  EXPECT_EQ(reversed["models"], json({"yamnet", "mn04_as"}));

  expect_error(c.Get(("/api/v1/compare?a=" + a).c_str()), 400, "bad_request");
  expect_error(c.Get(("/api/v1/compare?a=" + a + "&b=" + a).c_str()), 400, "bad_request");  // one model
  expect_error(c.Get(("/api/v1/compare?a=" + a + "&b=0123456789abcdef0123456789abcdef").c_str()), 404, "not_found");
  // Another recording by the other model.
  const json other = json_of(upload(c, "/api/v1/analyses", "cough.mp3", read_file(shared_audio(cough)),
                                    {{"model", "yamnet", "", ""}}));
  auto mismatch = c.Get(("/api/v1/compare?a=" + a + "&b=" + other["id"].get<std::string>()).c_str());
  expect_error(mismatch, 400, "bad_request");
  EXPECT_NE(json_of(mismatch)["error"]["message"].get<std::string>().find("not of the same recording"),
            std::string::npos);
}

TEST_F(CompareApiTest, OnACoughBothModelsHearACough) {
  auto c = server_->client();
  auto res = upload(c, "/api/v1/analyses", "cough.mp3", read_file(shared_audio(cough)),
                    {{"models", "yamnet,mn04_as", "", ""}});
  ASSERT_EQ(res->status, 201) << res->body.substr(0, 300);
  const json j = json_of(res);
  EXPECT_EQ(j["models"], json({"yamnet", "mn04_as"}));  // in the order asked for
  EXPECT_TRUE(indices(j["agreement"]["top_shared"]).count(cough_class)) << j["agreement"]["top_shared"].dump();
  bool correlated = false;
  for (const auto& r : j["agreement"]["profile_correlation"])
    if (r["index"] == cough_class) correlated = r["pearson"].is_number() && r["pearson"].get<double>() > 0.5;
  EXPECT_TRUE(correlated) << j["agreement"]["profile_correlation"].dump();  // r = 0.76 in the README
  for (const std::string model : {"yamnet", "mn04_as"}) EXPECT_EQ(j["results"][model]["model"], model);
}

// Hostile and wrong models= values: 400 naming the parameter and the value
// (escaped and cut), nothing stored, no model run.
TEST_F(CompareApiTest, BadModelsValuesAreRejectedAndLeaveNothing) {
  auto c = server_->client();
  const std::string wav = read_file(shared_audio(metro));
  const long before = total_stored();
  const std::size_t files_before = server_->stored_audio_files();
  const std::size_t jobs_before = json_of(c.Get("/api/v1/jobs"))["items"].size();
  const std::string long_value = "mn04_as," + std::string(3000, 'y');
  const std::vector<std::pair<std::string, std::string>> bad{
      {"", "empty"},
      {",", "empty"},
      {"mn04_as", "two different models"},
      {"mn04_as,", "empty"},
      {"mn04_as,mn04_as", "named twice"},
      {"mn04_as,yamnet,cnn14", "at most 2"},
      {"nope,yamnet", "unknown model"},
      {"mn04_as, yamnet", "unknown model"},
      {std::string("mn04_as,yam\x01net\n"), "unknown model"},
      {"mn04_as,../../etc/passwd", "unknown model"},
      {long_value, "unknown model"},
  };
  for (const auto& [value, why] : bad) {
    auto res = upload(c, "/api/v1/analyses", "metro.wav", wav, {{"models", value, "", ""}});
    expect_error(res, 400, "bad_request");
    const std::string message = json_of(res)["error"]["message"];
    EXPECT_NE(message.find("parameter models"), std::string::npos) << message;
    EXPECT_NE(message.find(why), std::string::npos) << message;
    EXPECT_LT(message.size(), 600u) << "the value is cut";
    EXPECT_EQ(message.find('\x01'), std::string::npos) << "control characters are escaped";
  }
  auto escaped = upload(c, "/api/v1/analyses", "metro.wav", wav, {{"models", "mn04_as,yam\x01net", "", ""}});
  EXPECT_NE(json_of(escaped)["error"]["message"].get<std::string>().find("yam\\x01net"), std::string::npos);
  // Both model and models; a bad async with models; bad models as a job too (refused before it is queued).
  expect_error(upload(c, "/api/v1/analyses", "metro.wav", wav,
                      {{"models", "mn04_as,yamnet", "", ""}, {"model", "yamnet", "", ""}}),
               400, "bad_request");
  for (const std::string async : std::vector<std::string>{"2", "yes", "-1", std::string(5000, '1')}) {
    auto res = upload(c, "/api/v1/analyses", "metro.wav", wav, {{"models", "mn04_as,yamnet", "", ""}, {"async", async, "", ""}});
    expect_error(res, 400, "bad_request");
    EXPECT_NE(json_of(res)["error"]["message"].get<std::string>().find("async"), std::string::npos) << res->body;
    EXPECT_LT(res->body.size(), 600u) << "the value is cut";
  }
  for (const std::string models : {"mn04_as", "mn04_as,nope", "mn04_as,mn04_as", "mn04_as,yamnet,cnn14"})
    expect_error(upload(c, "/api/v1/analyses", "metro.wav", wav, {{"models", models, "", ""}, {"async", "1", "", ""}}),
                 400, "bad_request");
  expect_error(upload(c, "/api/v1/analyses", "metro.wav", wav,
                      {{"models", "mn04_as,yamnet", "", ""}, {"async", "1", "", ""}, {"top_k", "0", "", ""}}),
               400, "bad_request");
  EXPECT_EQ(json_of(c.Get("/api/v1/jobs"))["items"].size(), jobs_before) << "nothing was queued";
  // A registered model whose weights are not here: named with its file, never a server path.
  for (const auto& field : std::vector<std::pair<std::string, std::string>>{{"models", "mn04_as,cnn14"},
                                                                            {"model", "cnn14"}}) {
    auto res = upload(c, "/api/v1/analyses", "metro.wav", wav, {{field.first, field.second, "", ""}});
    expect_error(res, 400, "bad_request");
    const std::string message = json_of(res)["error"]["message"];
    EXPECT_NE(message.find("cnn14"), std::string::npos) << message;
    EXPECT_NE(message.find("Cnn14_mAP=0.431.pth"), std::string::npos) << message;
    EXPECT_EQ(message.find(models_dir()), std::string::npos) << message;
  }
  // Bad analysis parameters are still checked with models=.
  expect_error(upload(c, "/api/v1/analyses", "metro.wav", wav,
                      {{"models", "mn04_as,yamnet", "", ""}, {"top_k", "0", "", ""}}),
               400, "bad_request");
  EXPECT_EQ(total_stored(), before);
  EXPECT_EQ(server_->stored_audio_files(), files_before);
}

// Polls a job until it is final, keeping every stage and progress seen on the way.
json follow_job(httplib::Client& c, const std::string& id, std::vector<std::pair<std::string, double>>& seen) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(300);
  json job;
  while (std::chrono::steady_clock::now() < until) {
    auto res = c.Get(("/api/v1/jobs/" + id).c_str());
    if (res && res->status == 200) {
      job = json_of(res)["job"];
      if (job["stage"].is_string()) seen.emplace_back(job["stage"], job["progress"].get<double>());
      const std::string state = job["state"];
      if (state == "done" || state == "failed" || state == "cancelled") return job;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return job;
}

// A comparison of a recording longer than the server compares at once (--async-over-s) is one job: both
// models in turn with progress (each stage named with its model and place), then both analyses stored and
// named by the job's compared_ids, which GET /api/v1/compare compares. async=1 makes a short one a job too;
// a cancelled comparison leaves no analysis.
// The metro example played `times` over as one WAV (its header is the plain 44 bytes): long enough that each
// model's turn spans many polls of the job, so both are seen however loaded the machine is.
std::string metro_played(int times) {
  const std::string wav = read_file(shared_audio(metro));
  EXPECT_EQ(wav.compare(36, 4, "data"), 0) << "the metro example's header is not the plain 44 bytes";
  const std::string samples = wav.substr(44);
  std::string out = wav.substr(0, 44);
  for (int i = 0; i < times; ++i) out += samples;
  const auto put_u32 = [&out](std::size_t at, std::uint32_t v) {
    for (int b = 0; b < 4; ++b) out[at + b] = char((v >> (8 * b)) & 0xff);
  };
  put_u32(4, std::uint32_t(out.size() - 8));
  put_u32(40, std::uint32_t(samples.size() * times));
  return out;
}

TEST(CompareApiJobs, ALongerRecordingIsComparedAsOneJobWithProgress) {
  TestServerOptions options;
  options.async_over_s = 5;
  TestServer server(options);
  auto c = server.client();
  auto res = upload(c, "/api/v1/analyses", "metro.wav", metro_played(6), {{"models", "mn04_as,yamnet", "", ""}});
  ASSERT_EQ(res->status, 202) << res->body;
  const json accepted = json_of(res)["job"];
  EXPECT_EQ(res->get_header_value("Location"), "/api/v1/jobs/" + accepted["id"].get<std::string>());
  EXPECT_TRUE(accepted["compared_ids"].is_null());
  std::vector<std::pair<std::string, double>> seen;
  const json job = follow_job(c, accepted["id"], seen);
  ASSERT_EQ(job["state"], "done") << job.dump();
  // Progress through both models, never going back.
  bool first = false, second = false;
  double last = 0;
  for (const auto& [stage, progress] : seen) {
    first |= stage.rfind("mn04_as (1 of 2): ", 0) == 0;
    second |= stage.rfind("yamnet (2 of 2): ", 0) == 0;
    EXPECT_GE(progress, last - 1e-9) << stage;
    last = progress;
  }
  EXPECT_TRUE(first && second) << seen.size() << " stages seen, the last " << (seen.empty() ? "" : seen.back().first);
  ASSERT_TRUE(job["compared_ids"].is_array() && job["compared_ids"].size() == 2) << job.dump();
  const std::string a = job["compared_ids"][0], b = job["compared_ids"][1];
  EXPECT_TRUE(is_id(job["compared_ids"][0]) && is_id(job["compared_ids"][1])) << job.dump();
  EXPECT_EQ(job["analysis_id"], a);
  const json comparison = json_of(c.Get(("/api/v1/compare?a=" + a + "&b=" + b).c_str()));
  ASSERT_EQ(comparison["models"], json({"mn04_as", "yamnet"})) << comparison.dump().substr(0, 300);
  EXPECT_EQ(comparison["results"]["mn04_as"]["predictions"][0]["index"], train);
  EXPECT_GE(comparison["results"]["yamnet"]["predictions"].size(), 5u) << "top_k raised to the comparison's top";
  EXPECT_EQ(json_of(c.Get("/api/v1/analyses"))["total"], 2);
  EXPECT_EQ(server.stored_audio_files(), 2u);

  // Cancelled while it runs: no analysis of it is left.
  auto second_job = upload(c, "/api/v1/analyses", "metro.wav", read_file(shared_audio(metro)),
                           {{"models", "yamnet,mn04_as", "", ""}, {"async", "1", "", ""}, {"faithfulness", "1", "", ""}});
  ASSERT_EQ(second_job->status, 202) << second_job->body;
  const std::string id = json_of(second_job)["job"]["id"];
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (std::chrono::steady_clock::now() < until) {  // until the first model's analysis is stored or the job ends
    const json now = json_of(c.Get(("/api/v1/jobs/" + id).c_str()))["job"];
    if (now["progress"].get<double>() >= 0.5 || (now["state"] != "running" && now["state"] != "queued")) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const json cancelled = json_of(c.Delete(("/api/v1/jobs/" + id).c_str()))["job"];
  if (cancelled["state"] == "cancelled") {
    EXPECT_EQ(json_of(c.Get("/api/v1/analyses"))["total"], 2) << "the cancelled comparison left an analysis";
    EXPECT_EQ(server.stored_audio_files(), 2u);
  } else {
    ADD_FAILURE() << "the job ended before it could be cancelled: " << cancelled.dump();
  }
}

TEST_F(CompareApiTest, OpenApiDeclaresModelsOnceAndTheComparison) {
  const auto doc = json_of(server_->client().Get("/openapi.json"));
  const auto& form = doc["paths"]["/api/v1/analyses"]["post"]["requestBody"]["content"]["multipart/form-data"]
                        ["schema"]["properties"];
  EXPECT_EQ(form["models"]["type"], "string");
  EXPECT_EQ(form["model"]["type"], "string");
  const auto& schemas = doc["components"]["schemas"];
  for (const char* name : {"Comparison", "Agreement", "MatchedEvent", "CompareEvent"})
    EXPECT_TRUE(schemas.contains(name)) << name;
  // Every field of a real comparison is documented.
  for (const auto& [key, value] : metro_comparison().items())
    EXPECT_TRUE(schemas["Comparison"]["properties"].contains(key)) << key;
  for (const auto& [key, value] : metro_comparison()["agreement"].items())
    EXPECT_TRUE(schemas["Agreement"]["properties"].contains(key)) << key;
  const auto& get = doc["paths"]["/api/v1/compare"]["get"];
  EXPECT_EQ(get["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Comparison");
}

}  // namespace
}  // namespace soundlens::test
