// The fused model (mn04_as and yamnet) through a real server: listed by GET
// /api/v1/models, run by model=fused on a real clip (events naming both
// models, each class's map from each model), its maps served per model,
// compared, run as a job, within the window limit, and with --redact-speech
// silencing what either network hears as speech. Real weights, real audio.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "audio/wav_writer.h"
#include "test_paths.h"
#include "test_server.h"

namespace soundlens::test {
namespace {
using nlohmann::json;

const std::string coughing = "awkward/01_stereo_44k1_coughing.mp3";
constexpr int cough_class = 47;

class FusedApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new TestServer(); }
  static void TearDownTestSuite() { delete server_; }

  static const json& fused_analysis() {
    static const json analysis = [] {
      auto c = server_->client();
      auto res = upload(c, "/api/v1/analyses", "coughing.mp3", read_file(shared_audio(coughing)),
                        {{"model", "fused", "", ""}});
      EXPECT_TRUE(res);
      EXPECT_EQ(res->status, 201) << res->body.substr(0, 500);
      return json_of(res);
    }();
    return analysis;
  }

  static json wait_for(httplib::Client& c, const std::string& job) {
    json state;
    for (int i = 0; i < 900; ++i) {
      state = json_of(c.Get(("/api/v1/jobs/" + job).c_str()))["job"];
      if (state["state"] == "done" || state["state"] == "failed") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return state;
  }

  static TestServer* server_;
};
TestServer* FusedApiTest::server_ = nullptr;

const json* model_named(const json& models, const std::string& name) {
  for (const auto& m : models["models"])
    if (m["name"] == name) return &m;
  return nullptr;
}

TEST_F(FusedApiTest, TheModelsListOffersItWithItsParts) {
  const json models = json_of(server_->client().Get("/api/v1/models"));
  const json* fused = model_named(models, "fused");
  ASSERT_TRUE(fused) << models.dump().substr(0, 800);
  EXPECT_EQ((*fused)["parts"], json::array({"mn04_as", "yamnet"}));
  EXPECT_EQ((*fused)["available"], true);
  EXPECT_EQ((*fused)["default"], false);
  EXPECT_TRUE((*fused)["published_map"]["value"].is_null());
}

TEST_F(FusedApiTest, AnUploadRunsBothModelsAndItsEventsNameBoth) {
  const json& a = fused_analysis();
  EXPECT_EQ(a["model"], "fused");
  EXPECT_EQ(a["models"], json::array({"mn04_as", "yamnet"}));
  ASSERT_FALSE(a["predictions"].empty());
  std::set<std::string> givers;
  bool cough = false;
  for (const auto& p : a["predictions"]) {
    givers.insert(p["model"].get<std::string>());
    cough |= p["index"] == cough_class;
  }
  EXPECT_TRUE(cough) << a["predictions"].dump();
  for (const auto& g : givers) EXPECT_TRUE(g == "mn04_as" || g == "yamnet") << g;
  // Every top class has each model's map (tagged), mn04_as's first.
  for (const auto& p : a["predictions"]) {
    std::set<std::string> maps;
    for (const auto& e : a["explanations"])
      if (e["index"] == p["index"]) maps.insert(e["model"].get<std::string>());
    EXPECT_EQ(maps, (std::set<std::string>{"mn04_as", "yamnet"})) << p.dump();
  }
  EXPECT_EQ(a["explanations"][0]["model"], "mn04_as");
  ASSERT_FALSE(a["events"].empty()) << a.dump().substr(0, 500);
  bool cough_event = false;
  for (const auto& e : a["events"]) {
    ASSERT_EQ(e["models"].size(), 2u) << e.dump();
    EXPECT_EQ(e["models"][0]["model"], "mn04_as");
    EXPECT_EQ(e["models"][1]["model"], "yamnet");
    cough_event |= e["index"] == cough_class;
  }
  EXPECT_TRUE(cough_event) << a["events"].dump();
  // Stored as it was answered; the list says both parts are loaded now.
  auto c = server_->client();
  const json again = json_of(c.Get(("/api/v1/analyses/" + a["id"].get<std::string>()).c_str()));
  EXPECT_EQ(again["model"], "fused");
  EXPECT_EQ(again["explanations"].size(), a["explanations"].size());
  EXPECT_EQ((*model_named(json_of(c.Get("/api/v1/models")), "fused"))["loaded"], true);
}

TEST_F(FusedApiTest, EachModelsMapIsServedByModel) {
  const json& a = fused_analysis();
  auto c = server_->client();
  const std::string base = "/api/v1/analyses/" + a["id"].get<std::string>() + "/explanation?class=47&faithfulness=0";
  const json first = json_of(c.Get(base.c_str()));
  EXPECT_EQ(first["model"], "mn04_as");
  EXPECT_EQ(first["layer"], "features.16");
  const json yam = json_of(c.Get((base + "&model=yamnet").c_str()));
  EXPECT_EQ(yam["model"], "yamnet");
  EXPECT_EQ(yam["layer"], "layer14");
  EXPECT_EQ(yam["row_edges_hz"].back(), 7500);
  EXPECT_EQ(json_of(c.Get((base + "&model=yamnet").c_str()))["layer"], "layer14");  // cached apart from mn04_as's
  EXPECT_EQ(json_of(c.Get((base + "&model=mn04_as").c_str()))["layer"], "features.16");
  // What the map keeps, by model: mn04_as's is heard; yamnet's front end cannot be listened through (as for yamnet alone).
  const std::string wav = "/api/v1/analyses/" + a["id"].get<std::string>() + "/explanation.wav?class=47&part=removed";
  auto listened = c.Get((wav + "&model=mn04_as").c_str());
  ASSERT_TRUE(listened);
  EXPECT_EQ(listened->status, 200) << listened->body.substr(0, 300);
  auto not_heard = c.Get((wav + "&model=yamnet").c_str());
  ASSERT_TRUE(not_heard);
  EXPECT_EQ(not_heard->status, 400) << not_heard->body.substr(0, 300);
  EXPECT_NE(not_heard->body.find("listened"), std::string::npos) << not_heard->body.substr(0, 300);
  for (const std::string& bad : std::vector<std::string>{"cnn14", "fused", "../../etc/passwd", "YAMNET", std::string(5000, 'x')}) {
    auto res = c.Get((base + "&model=" + httplib::detail::encode_query_param(bad)).c_str());
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << bad.substr(0, 20) << ": " << res->body.substr(0, 300);
    EXPECT_NE(res->body.find("model"), std::string::npos) << res->body.substr(0, 300);
    EXPECT_LT(res->body.size(), 2000u);  // the value is cut, not echoed whole
  }
}

// A single-model analysis is unchanged: its maps carry no model tag, model= is its own or refused.
TEST_F(FusedApiTest, ASingleModelAnalysisTakesOnlyItsOwnModel) {
  auto c = server_->client();
  auto res = upload(c, "/api/v1/analyses", "coughing.mp3", read_file(shared_audio(coughing)));
  ASSERT_EQ(res->status, 201) << res->body.substr(0, 300);
  const json a = json_of(res);
  EXPECT_FALSE(a.contains("models"));
  for (const auto& p : a["predictions"]) EXPECT_FALSE(p.contains("model")) << p.dump();
  for (const auto& e : a["explanations"]) EXPECT_FALSE(e.contains("model"));
  for (const auto& e : a["events"]) EXPECT_TRUE(e["models"].empty()) << e.dump();
  const std::string base = "/api/v1/analyses/" + a["id"].get<std::string>() + "/explanation?class=47&faithfulness=0";
  const auto own = c.Get((base + "&model=mn04_as").c_str());
  EXPECT_EQ(own->status, 200);
  EXPECT_FALSE(json_of(own).contains("model"));
  EXPECT_EQ(c.Get((base + "&model=yamnet").c_str())->status, 400);
}

TEST_F(FusedApiTest, ItIsComparedWithAnotherModel) {
  auto c = server_->client();
  auto res = upload(c, "/api/v1/analyses", "coughing.mp3", read_file(shared_audio(coughing)),
                    {{"models", "fused,yamnet", "", ""}});
  ASSERT_EQ(res->status, 201) << res->body.substr(0, 500);
  const json comparison = json_of(res);
  EXPECT_EQ(comparison["models"], json::array({"fused", "yamnet"}));
  EXPECT_EQ(comparison["results"]["fused"]["model"], "fused");
  EXPECT_EQ(comparison["results"]["fused"]["events"][0]["models"].size(), 2u);
}

TEST_F(FusedApiTest, AJobRunsIt) {
  auto c = server_->client();
  auto res = upload(c, "/api/v1/analyses", "coughing.mp3", read_file(shared_audio(coughing)),
                    {{"model", "fused", "", ""}, {"async", "1", "", ""}});
  ASSERT_EQ(res->status, 202) << res->body;
  const json state = wait_for(c, json_of(res)["job"]["id"]);
  ASSERT_EQ(state["state"], "done") << state.dump();
  const json a = json_of(c.Get(("/api/v1/analyses/" + state["analysis_id"].get<std::string>()).c_str()));
  EXPECT_EQ(a["model"], "fused");
  EXPECT_EQ(a["explanations"].size(), fused_analysis()["explanations"].size());
  ASSERT_FALSE(a["events"].empty());
  EXPECT_EQ(a["events"][0]["models"].size(), 2u);
}

// The seed project's endpoint takes model=fused too: its predictions say their model, its figure is drawn.
TEST_F(FusedApiTest, TheSeedEndpointRunsIt) {
  auto c = server_->client();
  auto res = upload(c, "/analyze_audio", "coughing.mp3", read_file(shared_audio(coughing)), {{"model", "fused", "", ""}});
  ASSERT_EQ(res->status, 200) << res->body.substr(0, 300);
  const json seed = json_of(res);
  ASSERT_FALSE(seed["predictions"].empty());
  for (const auto& p : seed["predictions"]) EXPECT_TRUE(p["model"] == "mn04_as" || p["model"] == "yamnet") << p.dump();
  EXPECT_GT(seed["cam_base64"].get<std::string>().size(), 1000u);
}

TEST_F(FusedApiTest, ABatchRunsItForEachFile) {
  auto c = server_->client();
  auto res = c.Post("/api/v1/batches", httplib::MultipartFormDataItems{
                                           {"file", read_file(shared_audio(coughing)), "a.mp3", "audio/mpeg"},
                                           {"file", read_file(shared_audio("awkward/02_vorbis_44k1_dog.ogg")), "b.ogg", "audio/ogg"},
                                           {"model", "fused", "", ""}});
  ASSERT_EQ(res->status, 202) << res->body;
  const std::string id = json_of(res)["id"];
  json batch;
  for (int i = 0; i < 900; ++i) {
    batch = json_of(c.Get(("/api/v1/batches/" + id).c_str()));
    if (batch["state"] != "running") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(batch["state"], "done") << batch.dump();
  for (const auto& item : batch["items"]) {
    const json a = json_of(c.Get(("/api/v1/analyses/" + item["analysis_id"].get<std::string>()).c_str()));
    EXPECT_EQ(a["model"], "fused") << item.dump();
    EXPECT_EQ(a["models"], json::array({"mn04_as", "yamnet"}));
  }
}

TEST_F(FusedApiTest, HostileModelNamesAreRefusedNamingThem) {
  auto c = server_->client();
  for (const std::string bad : {"fused,", "Fused", "fused ", "mn04_as+yamnet"}) {
    auto res = upload(c, "/api/v1/analyses", "coughing.mp3", read_file(shared_audio(coughing)), {{"model", bad, "", ""}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << bad << ": " << res->body.substr(0, 300);
    EXPECT_NE(res->body.find(", fused"), std::string::npos) << res->body.substr(0, 300);  // the known models
  }
}

// Both networks' windows count against --max-windows: 422 naming both, nothing stored.
TEST(FusedLimits, BothNetworksCountAgainstTheWindowLimit) {
  TestServer server({.limits = {.max_windows = 10, .timeout_s = 600}});
  auto c = server.client();
  const long before = json_of(c.Get("/api/v1/analyses"))["total"];
  auto res = upload(c, "/api/v1/analyses", "coughing.mp3", read_file(shared_audio(coughing)), {{"model", "fused", "", ""}});
  ASSERT_EQ(res->status, 422) << res->body;
  EXPECT_EQ(json_of(res)["error"]["code"], "too_many_windows");
  EXPECT_NE(res->body.find("yamnet"), std::string::npos) << res->body;
  EXPECT_NE(res->body.find("mn04_as"), std::string::npos) << res->body;
  EXPECT_EQ(json_of(c.Get("/api/v1/analyses"))["total"], before);
  // The same recording with one network fits.
  EXPECT_EQ(upload(c, "/api/v1/analyses", "coughing.mp3", read_file(shared_audio(coughing)))->status, 201);
}

// --redact-speech: the fused model's first part (mn04_as) finds, silences and checks the speech before
// either network analyses the recording; what is stored and analysed is the silenced audio.
TEST(FusedRedaction, SpeechIsSilencedBeforeStoringAndBothModelsAnalyseWhatIsKept) {
  const Audio talk = decode_file(shared_audio("cough/00096021-2cb2-4098-b906-4878a5e225a3.flac"), {});
  const Audio cough = decode_file(shared_audio("cough/008c73c3-04ab-427a-9beb-cf17497bcac2.flac"), {});
  Audio built;
  built.samples.assign(talk.samples.begin(), talk.samples.begin() + 32000);  // 1.0 s of speech
  built.samples.insert(built.samples.end(), cough.samples.begin(), cough.samples.end());
  const auto wav = encode_wav_pcm16(built.samples, 32000);
  TestServer server({.redact_speech = true});
  auto c = server.client();
  auto res = upload(c, "/api/v1/analyses", "speech-then-cough.wav", std::string(wav.begin(), wav.end()),
                    {{"model", "fused", "", ""}});
  ASSERT_EQ(res->status, 201) << res->body.substr(0, 500);
  const json a = json_of(res);
  EXPECT_EQ(a["model"], "fused");
  ASSERT_FALSE(a["redaction"]["spans"].empty()) << a["redaction"].dump();
  EXPECT_LE(a["redaction"]["spans"][0]["start_s"].get<double>(), 0.05);
  EXPECT_GE(a["redaction"]["spans"][0]["end_s"].get<double>(), 0.95);
  EXPECT_LT(a["redaction"]["residual_score"].get<double>(), 0.3);
  for (const auto& p : a["predictions"]) EXPECT_NE(p["index"], 0) << a["predictions"].dump();  // no Speech left
  std::set<std::string> maps;
  for (const auto& e : a["explanations"]) maps.insert(e["model"].get<std::string>());
  EXPECT_EQ(maps, (std::set<std::string>{"mn04_as", "yamnet"}));
  // The stored audio is silent where the speech was.
  const auto stored = c.Get(("/api/v1/analyses/" + a["id"].get<std::string>() + "/audio").c_str());
  ASSERT_EQ(stored->status, 200);
  const Audio kept = decode_memory(std::vector<std::uint8_t>(stored->body.begin(), stored->body.end()), {});
  double energy = 0;
  for (std::size_t i = 1600; i < 30400; ++i) energy += double(kept.samples[i]) * kept.samples[i];
  EXPECT_LT(energy, 1e-6);
}

}  // namespace
}  // namespace soundlens::test
