// A model made by soundlens train, offered by a server from its model folders:
// listed with its labels, used for an analysis, its explanation and checks,
// named only by its plain name (never a path), and refused where it cannot
// keep a promise (speech redaction).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "analysis/analysis.h"
#include "model/model_registry.h"
#include "test_paths.h"
#include "test_server.h"
#include "train/trainer.h"

namespace soundlens::test {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

const std::string laughter = "events-dev/clips/laughter/laughter_09.flac";

class TrainedModelHttpTest : public ::testing::Test {
 protected:
  // One folder per process: ctest runs each test of the suite as a process of its own, two at a time.
  static fs::path folder() { return fs::temp_directory_path() / ("soundlens_trained_http_" + std::to_string(::getpid())); }
  static void SetUpTestSuite() {
    fs::remove_all(folder());
    for (const std::string c : {"cough", "laughter"})
      for (int i = 1; i <= 4; ++i) {
        fs::create_directories(folder() / "data" / c);
        const std::string name = c + "_0" + std::to_string(i) + ".flac";
        fs::create_symlink(shared_audio("events-dev/clips/" + c + "/" + name), folder() / "data" / c / name);
      }
    const std::vector<std::string> path{models_dir()};
    const Analyzer base(load_model("mn04_as", path), load_labels(path));
    TrainOptions o;
    o.folds = 2;
    o.hidden = 0;
    const auto report = train_classifier(read_labelled_folder((folder() / "data").string()), base, o, "ward");
    write_trained_model((folder() / "models" / "ward").string(), report.model, false);
    TestServerOptions options;
    options.extra_model_dirs = {(folder() / "models").string()};
    server_ = new TestServer(options);
  }
  static void TearDownTestSuite() {
    delete server_;
    fs::remove_all(folder());
  }
  static TestServer* server_;
};
TestServer* TrainedModelHttpTest::server_ = nullptr;

TEST_F(TrainedModelHttpTest, ListedAnalysedExplainedAndChecked) {
  auto c = server_->client();
  const json models = json_of(c.Get("/api/v1/models"));
  json ward;
  for (const auto& m : models["models"])
    if (m["name"] == "ward") ward = m;
  ASSERT_FALSE(ward.is_null()) << models.dump().substr(0, 400);
  EXPECT_EQ(ward["labels"], (json{"cough", "laughter"}));
  EXPECT_EQ(ward["weights_file"], "ward/head.bin");  // as in a model folder, not a server path
  EXPECT_EQ(ward["available"], true);

  auto res = upload(c, "/api/v1/analyses", "laughter.flac", read_file(shared_audio(laughter)), {{"model", "ward", "", ""}});
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 201) << res->body;
  const json a = json_of(res);
  EXPECT_EQ(a["model"], "ward");
  EXPECT_EQ(a["predictions"][0]["label"], "laughter") << a["predictions"].dump();
  EXPECT_EQ(a["predictions"].size(), 2u);
  const std::string id = a["id"];
  res = c.Get(("/api/v1/analyses/" + id + "/explanation?class=1&method=layercam&faithfulness=1&sanity=1").c_str());
  ASSERT_EQ(res->status, 200) << res->body;
  const json e = json_of(res);
  EXPECT_EQ(e["label"], "laughter");
  EXPECT_EQ(e["sanity"]["steps"][0]["randomised"], "head");
  EXPECT_TRUE(e["faithfulness"]["score"].is_number());
}

TEST_F(TrainedModelHttpTest, ARequestNamesAModelNeverAPath) {
  auto c = server_->client();
  const std::string bytes = read_file(shared_audio(laughter));
  for (const std::string& hostile :
       std::vector<std::string>{"../models/ward", (folder() / "models" / "ward").string(), "ward/", "./ward", "ward\n"}) {
    auto res = upload(c, "/api/v1/analyses", "l.flac", bytes, {{"model", hostile, "", ""}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << hostile << ": " << res->body;
    EXPECT_NE(res->body.find("unknown model"), std::string::npos) << res->body;
    EXPECT_NE(res->body.find("ward"), std::string::npos) << res->body;  // the known list names it
  }
}

TEST_F(TrainedModelHttpTest, AServerThatRedactsSpeechRefusesIt) {
  TestServerOptions options;
  options.extra_model_dirs = {(folder() / "models").string()};
  options.redact_speech = true;
  TestServer redacting(options);
  auto c = redacting.client();
  auto res = upload(c, "/api/v1/analyses", "l.flac", read_file(shared_audio(laughter)), {{"model", "ward", "", ""}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400) << res->body;
  EXPECT_NE(res->body.find("--redact-speech"), std::string::npos) << res->body;
}

}  // namespace
}  // namespace soundlens::test
