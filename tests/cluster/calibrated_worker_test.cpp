// A worker started with --calibration runs a job from PostgreSQL and stores a
// calibrated analysis: the calibration object and the probabilities that
// `analyze --calibration` computes for the same file. The server that took the
// upload runs without the file; it serves the analysis as stored and computes
// its maps with the analysis' own calibration.
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "command_output.h"
#include "pg_test_database.h"
#include "serve_child.h"
#include "test_paths.h"
#include "worker_child.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;
using soundlens::test::ServeChild;
using soundlens::test::WorkerChild;

namespace {

std::string q(const fs::path& p) { return "'" + p.string() + "'"; }

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

double probability_of(const json& analysis, const std::string& label) {
  for (const auto& p : analysis.at("predictions"))
    if (p.at("label") == label) return p.at("probability").get<double>();
  ADD_FAILURE() << label << " is not predicted: " << analysis.dump().substr(0, 300);
  return -1;
}

TEST(CalibratedWorker, AJobRunByACalibratedWorkerIsStoredCalibrated) {
  SOUNDLENS_NEED_POSTGRES();
  soundlens::testing::PgTestDatabase db(*soundlens::testing::postgres_test_server());
  const fs::path dir = fs::temp_directory_path() / ("soundlens-calibrated-worker-" + db.name());
  fs::remove_all(dir);
  struct Cleanup {
    fs::path dir;
    ~Cleanup() { fs::remove_all(dir); }
  } cleanup{dir};
  // The calibration, fitted as a user would on real clips.
  const auto add = [&](const std::string& label, const std::string& clip_class, const std::string& stem, int from, int to) {
    fs::create_directories(dir / "ward" / label);
    for (int i = from; i <= to; ++i) {
      char name[64];
      std::snprintf(name, sizeof name, "%s_%02d.flac", stem.c_str(), i);
      fs::create_symlink(soundlens::test::shared_audio("events-dev/clips/" + clip_class + "/" + name),
                         dir / "ward" / label / name);
    }
  };
  add("Laughter", "laughter", "laughter", 1, 6);
  add("Cough", "cough", "cough", 1, 6);
  add("none", "background_forest", "forest", 0, 4);
  const fs::path calibration = dir / "ward.json";
  const std::string bin = q(soundlens::test::soundlens_binary());
  const std::string models = q(soundlens::test::models_dir());
  auto r = soundlens::test::run_command(bin + " calibrate " + q(dir / "ward") + " --model-dir " + models + " --out " +
                                        q(calibration) + " 2>&1");
  ASSERT_EQ(r.status, 0) << r.out;
  const std::string clip = soundlens::test::shared_audio("events-dev/clips/laughter/laughter_10.flac");
  r = soundlens::test::run_command(bin + " analyze " + q(clip) + " --model-dir " + models + " --json --calibration " +
                                   q(calibration) + " 2>/dev/null");
  ASSERT_EQ(r.status, 0) << r.out;
  const json local = json::parse(r.out);

  ServeChild server(soundlens::test::soundlens_binary(),
                    {"--database", db.conninfo(), "--workers", "0", "--auth", "off", "--log-format", "off",
                     "--model-dir", soundlens::test::models_dir(), "--data-dir", (dir / "serve").string()});
  WorkerChild worker({"--database", db.conninfo(), "--data-dir", (dir / "worker").string(), "--jobs", "1",
                      "--model-dir", soundlens::test::models_dir(), "--calibration", calibration.string()});
  auto c = server.client();
  c.set_read_timeout(120, 0);
  EXPECT_TRUE(json::parse(c.Get("/health")->body)["calibration"].is_null()) << "the server itself is not calibrated";
  httplib::MultipartFormDataItems form{{"file", read_file(clip), "laughter_10.flac", "audio/flac"}, {"async", "1", "", ""}};
  auto res = c.Post("/api/v1/analyses", form);
  ASSERT_TRUE(res && res->status == 202) << (res ? res->body : "no answer");
  const std::string job_id = json::parse(res->body)["job"]["id"];
  json job;
  for (int i = 0; i < 1200; ++i) {
    job = json::parse(c.Get("/api/v1/jobs/" + job_id)->body)["job"];
    if (job["state"] != "queued" && job["state"] != "running") break;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(job["state"], "done") << job.dump();
  EXPECT_NE(db.scalar("SELECT worker FROM jobs WHERE id = '" + job_id + "'").find(":" + std::to_string(worker.pid()) + ":"),
            std::string::npos) << "the worker ran it";

  res = c.Get("/api/v1/analyses/" + job["analysis_id"].get<std::string>());
  ASSERT_TRUE(res && res->status == 200);
  const json stored = json::parse(res->body);
  ASSERT_TRUE(stored.contains("calibration")) << stored.dump().substr(0, 400);
  EXPECT_EQ(stored["calibration"]["file"], "ward.json");
  EXPECT_EQ(stored["calibration"]["fitted_on"], "ward");
  EXPECT_EQ(stored["calibration"]["files"], 17);
  EXPECT_EQ(stored["calibration"]["classes"], (json{"Cough", "Laughter"}));
  EXPECT_EQ(stored["calibration"], local["calibration"]) << "as analyze --calibration reports it";
  EXPECT_NEAR(probability_of(stored, "Laughter"), probability_of(local, "Laughter"), 2e-3);
  EXPECT_NEAR(probability_of(stored, "Cough"), probability_of(local, "Cough"), 2e-3);

  // The uncalibrated server computes its map with the analysis' calibration: the stored probability.
  res = c.Get("/api/v1/analyses/" + job["analysis_id"].get<std::string>() + "/explanation?class=Laughter");
  ASSERT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
  EXPECT_NEAR(json::parse(res->body)["probability"].get<double>(), probability_of(stored, "Laughter"), 2e-3);
}

}  // namespace
