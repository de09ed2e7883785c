// `soundlens serve --calibration` (and `worker`): the real program serves
// calibrated probabilities and says so, with what the calibration was fitted
// on, in the stored JSON and the PDF report, as `analyze --calibration` computes
// them; comparisons say it of the calibrated model only, and the fused model
// runs its parts uncalibrated. A calibration for another model, other weights,
// or one that was edited stops the program at start, naming the file.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <thread>
#include <functional>
#include <map>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "command_output.h"
#include "serve_child.h"
#include "test_paths.h"
#include "test_server.h"

namespace soundlens::test {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

std::string q(const fs::path& p) { return "'" + p.string() + "'"; }
const std::string laughter = "events-dev/clips/laughter/laughter_10.flac";

class CalibrationHttp : public ::testing::Test {
 protected:
  // One folder per process: ctest runs each test of the suite as a process of its own.
  static fs::path root() { return fs::temp_directory_path() / ("soundlens_calibration_http_" + std::to_string(::getpid())); }
  static fs::path calibration() { return root() / "ward.json"; }
  static void SetUpTestSuite() {
    fs::remove_all(root());
    auto add = [&](const std::string& label, const std::string& clip_class, const std::string& stem, int from, int to) {
      fs::create_directories(root() / "ward" / label);
      for (int i = from; i <= to; ++i) {
        char name[64];
        std::snprintf(name, sizeof name, "%s_%02d.flac", stem.c_str(), i);
        fs::create_symlink(shared_audio("events-dev/clips/" + clip_class + "/" + name), root() / "ward" / label / name);
      }
    };
    add("Laughter", "laughter", "laughter", 1, 6);
    add("Cough", "cough", "cough", 1, 6);
    add("none", "background_forest", "forest", 0, 4);
    const auto r = run_command(q(soundlens_binary()) + " calibrate " + q(root() / "ward") + " --model-dir " +
                               q(models_dir()) + " --out " + q(calibration()) + " 2>&1");
    ASSERT_EQ(r.status, 0) << r.out;
  }
  static void TearDownTestSuite() { fs::remove_all(root()); }

  // `serve` (or `worker`) with these arguments, expected to stop at start: its exit status and output.
  static CommandResult refused(const std::string& command, const std::string& args) {
    return run_command("timeout 60 " + q(soundlens_binary()) + " " + command + " --port 0 --data-dir " +
                       q(root() / "data-refused") + " --model-dir " + q(models_dir()) + " " + args + " 2>&1");
  }
  static json edited(const std::function<void(json&)>& edit, const std::string& name) {
    json j = json::parse(std::ifstream(calibration()));
    edit(j);
    std::ofstream(root() / name) << j.dump(2);
    return j;
  }
};

TEST_F(CalibrationHttp, AnalysesAreCalibratedAndSaySoInTheJsonAndTheReport) {
  ServeChild server(soundlens_binary(), {"--data-dir", (root() / "data").string(), "--model-dir", models_dir(),
                                         "--calibration", calibration().string(), "--log-format", "off"});
  EXPECT_NE(server.banner().find("calibrated by ward.json"), std::string::npos) << server.banner();
  auto c = server.client();
  auto res = upload(c, "/api/v1/analyses", "laughter.flac", read_file(shared_audio(laughter)));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 201) << res->body;
  const json a = json_of(res);
  ASSERT_TRUE(a.contains("calibration")) << a.dump().substr(0, 400);
  EXPECT_EQ(a["calibration"]["classes"], (json{"Cough", "Laughter"}));
  EXPECT_EQ(a["calibration"]["file"], "ward.json");
  EXPECT_EQ(a["calibration"]["fitted_on"], "ward");  // the folder's name, never a server path
  EXPECT_EQ(a["calibration"]["files"], 17);
  EXPECT_TRUE(a["calibration"]["ece_after"].is_number());

  // The same probabilities as `analyze --calibration` computes.
  const auto cli = run_command(q(soundlens_binary()) + " analyze " + q(shared_audio(laughter)) + " --model-dir " +
                               q(models_dir()) + " --json --calibration " + q(calibration()) + " 2>/dev/null");
  ASSERT_EQ(cli.status, 0) << cli.out;
  const json local = json::parse(cli.out);
  ASSERT_FALSE(a["predictions"].empty());
  EXPECT_EQ(a["predictions"][0]["label"], local["predictions"][0]["label"]);
  EXPECT_NEAR(a["predictions"][0]["probability"].get<double>(), local["predictions"][0]["probability"].get<double>(), 2e-3);

  // Stored: read back, and in the report.
  const std::string id = a["id"];
  const json stored = json_of(c.Get(("/api/v1/analyses/" + id).c_str()));
  EXPECT_EQ(stored["calibration"], a["calibration"]);
  if (!command_output("command -v pdftotext").empty()) {
    res = c.Get(("/api/v1/analyses/" + id + "/report.pdf").c_str());
    ASSERT_EQ(res->status, 200) << res->body;
    const auto text = pdf_text(res->body);
    EXPECT_NE(text.find("Calibration: Platt scaling of Cough, Laughter by ward.json, fitted on 17 files of ward"),
              std::string::npos) << text;
    EXPECT_NE(text.find("calibrated ones"), std::string::npos) << text;
  }

  // A job (async=1) stores it as an upload does.
  res = upload(c, "/api/v1/analyses", "laughter.flac", read_file(shared_audio(laughter)), {{"async", "1", "", ""}});
  ASSERT_EQ(res->status, 202) << res->body;
  const std::string job_id = json_of(res)["job"]["id"];
  json job;
  for (int i = 0; i < 600; ++i) {
    job = json_of(c.Get(("/api/v1/jobs/" + job_id).c_str()))["job"];
    if (job["state"] != "queued" && job["state"] != "running") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_EQ(job["state"], "done") << job.dump();
  const json from_job = json_of(c.Get(("/api/v1/analyses/" + job["analysis_id"].get<std::string>()).c_str()));
  EXPECT_EQ(from_job["calibration"], a["calibration"]);
  EXPECT_EQ(from_job["predictions"][0], a["predictions"][0]);

  // A comparison says it of the calibrated model only; the fused model runs its parts as they are.
  res = upload(c, "/api/v1/analyses", "laughter.flac", read_file(shared_audio(laughter)), {{"models", "mn04_as,yamnet", "", ""}});
  ASSERT_EQ(res->status, 201) << res->body;
  const json compared = json_of(res);
  EXPECT_TRUE(compared["results"]["mn04_as"].contains("calibration")) << compared.dump().substr(0, 300);
  EXPECT_FALSE(compared["results"]["yamnet"].contains("calibration"));
  res = upload(c, "/api/v1/analyses", "laughter.flac", read_file(shared_audio(laughter)), {{"model", "fused", "", ""}});
  ASSERT_EQ(res->status, 201) << res->body;
  EXPECT_FALSE(json_of(res).contains("calibration"));
}

// /health and /api/v1/models say which model is calibrated and with what; after a restart without
// --calibration, the maps of an analysis stored calibrated are computed with its own calibration (its
// probabilities as stored), and after a restart with it, a plain analysis' maps stay plain.
TEST_F(CalibrationHttp, HealthModelsAndMapsAfterARestartSayTheCalibrationTheAnalysisWasMadeWith) {
  const auto data = (root() / "restart").string();
  constexpr int kLaughter = 16;  // AudioSet's index
  const auto probability_of = [](const json& j, const std::string& label) {
    for (const auto& p : j["predictions"])
      if (p["label"] == label) return p["probability"].get<double>();
    ADD_FAILURE() << label << " is not among the predictions: " << j.dump().substr(0, 300);
    return -1.0;
  };
  const auto explained = [](httplib::Client& c, const std::string& id, const std::string& extra) {
    const auto res = c.Get(("/api/v1/analyses/" + id + "/explanation?class=Laughter" + extra).c_str());
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
    return json_of(res);
  };
  std::string calibrated_id;
  double calibrated_p = 0;
  json summary;
  {
    ServeChild server(soundlens_binary(), {"--data-dir", data, "--model-dir", models_dir(), "--calibration",
                                           calibration().string(), "--log-format", "off"});
    auto c = server.client();
    const json health = json_of(c.Get("/health"));
    ASSERT_TRUE(health["calibration"].is_object()) << health.dump();
    EXPECT_EQ(health["calibration"]["file"], "ward.json");
    EXPECT_EQ(health["calibration"]["fitted_on"], "ward");
    EXPECT_EQ(health["calibration"]["classes"], (json{"Cough", "Laughter"}));
    const json models = json_of(c.Get("/api/v1/models"));
    std::map<std::string, json> by_name;
    for (const auto& m : models["models"]) by_name[m["name"]] = m;
    EXPECT_EQ(by_name["mn04_as"]["calibration"], health["calibration"]);
    EXPECT_TRUE(by_name["yamnet"]["calibration"].is_null()) << by_name["yamnet"].dump();
    EXPECT_TRUE(by_name["fused"]["calibration"].is_null()) << by_name["fused"].dump();

    const auto res = upload(c, "/api/v1/analyses", "laughter.flac", read_file(shared_audio(laughter)));
    ASSERT_EQ(res->status, 201) << res->body;
    const json a = json_of(res);
    calibrated_id = a["id"];
    calibrated_p = probability_of(a, "Laughter");
    summary = a["calibration"];
    EXPECT_EQ(summary, health["calibration"]) << "an analysis reports the calibration /health names";
    EXPECT_EQ(summary["parameters"].size(), 2u);
  }
  std::string plain_id;
  double plain_p = 0;
  {
    ServeChild server(soundlens_binary(), {"--data-dir", data, "--model-dir", models_dir(), "--log-format", "off"});
    auto c = server.client();
    EXPECT_TRUE(json_of(c.Get("/health"))["calibration"].is_null());
    const auto res = upload(c, "/api/v1/analyses", "laughter.flac", read_file(shared_audio(laughter)));
    ASSERT_EQ(res->status, 201) << res->body;
    const json b = json_of(res);
    plain_id = b["id"];
    // Plain, Laughter is not among the top predictions: its probability is its map's, on a server without a calibration.
    plain_p = explained(c, plain_id, "")["probability"].get<double>();
    ASSERT_GT(std::abs(plain_p - calibrated_p), 0.02) << "the calibration must change Laughter for this test to tell";
    // The calibrated analysis' map, computed now by a server without the file: its own calibration.
    const json e = explained(c, calibrated_id, "");
    EXPECT_EQ(e["index"], kLaughter);
    EXPECT_NEAR(e["probability"].get<double>(), calibrated_p, 2e-3) << e.dump().substr(0, 300);
  }
  {
    ServeChild server(soundlens_binary(), {"--data-dir", data, "--model-dir", models_dir(), "--calibration",
                                           calibration().string(), "--log-format", "off"});
    auto c = server.client();
    // Not cached: another method. The plain analysis stays plain on a calibrated server.
    EXPECT_NEAR(explained(c, plain_id, "&method=layercam")["probability"].get<double>(), plain_p, 2e-3);
    EXPECT_NEAR(explained(c, calibrated_id, "&method=layercam")["probability"].get<double>(), calibrated_p, 2e-3);
  }
}

TEST_F(CalibrationHttp, ABadCalibrationStopsTheServerAndTheWorkerAtStart) {
  edited([](json& j) { j["classes"][0]["label"] = "Sneeze"; }, "relabelled.json");
  edited([](json& j) { j["classes"][0]["index"] = 0; }, "moved.json");
  edited([](json& j) { j["classes"][1]["a"] = -1.5; }, "negative.json");
  edited([](json& j) { j["classes"][1]["index"] = j["classes"][0]["index"]; }, "twice.json");
  edited([](json& j) { j["classes"][0]["index"] = 600; }, "outside.json");
  edited([](json& j) { j["weights_sha256"] = std::string(64, '0'); }, "other-weights.json");
  edited([](json& j) { j["classes"] = json::array(); }, "empty.json");
  edited([](json& j) { j["model"] = "yamnet"; }, "yamnet.json");
  std::ofstream(root() / "not-json.json") << "{\"format\": \"soundlens-calibration\", ";
  std::ofstream(root() / "other.json") << "{\"format\": \"something else\"}";
  const struct {
    std::string file, extra, expected;
  } cases[] = {
      {"relabelled.json", "", "the file calls it 'Sneeze' (was it edited?)"},
      {"moved.json", "", "class 0 is 'Speech' in mn04_as"},
      {"negative.json", "", "has a slope that is not positive"},
      {"twice.json", "", "twice"},
      {"outside.json", "", "it names class 600, which mn04_as does not have"},
      {"other-weights.json", "", "it was fitted on other mn04_as weights"},
      {"empty.json", "", "it calibrates no class"},
      {"yamnet.json", "", "it was fitted for yamnet, not mn04_as"},
      {"ward.json", "--model yamnet", "it was fitted for mn04_as, not yamnet"},
      {"ward.json", "--model fused", "--model fused"},
      {"not-json.json", "", "is not what soundlens wrote"},
      {"other.json", "", "it is not a soundlens calibration"},
      {"missing.json", "", "it cannot be read"},
  };
  for (const auto& c : cases) {
    const auto r = refused("serve", "--calibration " + q(root() / c.file) + " " + c.extra);
    EXPECT_EQ(r.status, 2) << c.file << " " << c.extra << "\n" << r.out;
    EXPECT_NE(r.out.find(c.expected), std::string::npos) << c.file << " " << c.extra << "\n" << r.out;
    if (c.file != "ward.json") EXPECT_NE(r.out.find(c.file), std::string::npos) << "names the file\n" << r.out;
    EXPECT_EQ(r.out.find("serving http"), std::string::npos) << r.out;
  }
  // The worker reads it before it connects to the database.
  const auto r = run_command("timeout 60 " + q(soundlens_binary()) + " worker --database postgresql://127.0.0.1:1/none --model-dir " +
                             q(models_dir()) + " --calibration " + q(root() / "relabelled.json") + " 2>&1");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("(was it edited?)"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace soundlens::test
