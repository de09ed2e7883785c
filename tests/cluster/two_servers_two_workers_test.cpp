// Two servers (--workers 0) and two workers sharing one PostgreSQL database
// and no data directory: 200 uploads with async=1 spread over both servers,
// one worker killed with SIGKILL while it holds a running job. Every job ends
// done exactly once (one analysis per job), and every upload's analysis and
// audio can be read through either server.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "pg_test_database.h"
#include "serve_child.h"
#include "worker_child.h"
#include "test_paths.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using soundlens::test::ServeChild;
using soundlens::test::WorkerChild;

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

class ClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SOUNDLENS_NEED_POSTGRES();
    db_ = std::make_unique<soundlens::testing::PgTestDatabase>(*soundlens::testing::postgres_test_server());
    dir_ = fs::temp_directory_path() / ("soundlens-cluster-" + db_->name());
    fs::create_directories(dir_);
    // Short real clips (1.5 s) keep 200 analyses quick.
    const std::vector<std::string> sources{
        "cough/00096021-2cb2-4098-b906-4878a5e225a3.flac", "cough/000fb67b-2409-4e61-b9f2-33ab3ff2487b.flac",
        "cough/002f642a-8406-49c0-bf19-310ad1c342de.flac"};
    for (std::size_t i = 0; i < sources.size(); ++i) {
      const fs::path clip = dir_ / ("clip" + std::to_string(i) + ".wav");
      const std::string command = "ffmpeg -loglevel error -y -i '" + soundlens::test::shared_audio(sources[i]) +
                                  "' -t 1.5 -ac 1 -ar 32000 '" + clip.string() + "'";
      ASSERT_EQ(std::system(command.c_str()), 0) << command;
      clips_.push_back(read_file(clip));
    }
  }
  void TearDown() override {
    db_.reset();
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  int count(const std::string& sql) { return std::stoi(db_->scalar(sql)); }

  std::unique_ptr<soundlens::testing::PgTestDatabase> db_;
  fs::path dir_;
  std::vector<std::string> clips_;
};

TEST_F(ClusterTest, TwoServersTwoWorkersOneKilledEveryJobDoneOnce) {
  const auto started = std::chrono::steady_clock::now();
  const std::string database = db_->conninfo();
  // Each process has only its own local cache directory; nothing is shared but the database.
  ServeChild a(soundlens::test::soundlens_binary(),
               {"--database", database, "--workers", "0", "--auth", "off", "--log-format", "off", "--model-dir",
                soundlens::test::models_dir(), "--data-dir",
                (dir_ / "serve-a").string()});
  ServeChild b(soundlens::test::soundlens_binary(),
               {"--database", database, "--workers", "0", "--auth", "off", "--log-format", "off", "--model-dir",
                soundlens::test::models_dir(), "--data-dir",
                (dir_ / "serve-b").string()});
  const auto worker_args = [&](const std::string& name) {
    return std::vector<std::string>{"--database", database, "--data-dir", (dir_ / name).string(), "--jobs", "1",
                                    "--job-lease-s", "3", "--model-dir", soundlens::test::models_dir()};
  };
  WorkerChild doomed(worker_args("worker-1"));
  WorkerChild survivor(worker_args("worker-2"));

  // 200 uploads, alternating servers, from four clients at once.
  constexpr int uploads = 200;
  std::vector<std::string> job_ids(uploads);
  std::vector<int> clip_of(uploads);
  std::atomic<int> next = 0;
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c)
    clients.emplace_back([&] {
      for (int i = next++; i < uploads; i = next++) {
        clip_of[i] = i % int(clips_.size());
        auto client = (i % 2 ? a : b).client();
        httplib::MultipartFormDataItems form{{"file", clips_[clip_of[i]], "clip.wav", "audio/wav"},
                                             {"async", "1", "", ""}};
        const auto res = client.Post("/api/v1/analyses", form);
        if (!res || res->status != 202) {
          ADD_FAILURE() << "upload " << i << ": " << (res ? res->status : -1) << " " << (res ? res->body : "");
          continue;
        }
        const auto body = nlohmann::json::parse(res->body, nullptr, false);
        if (!body.contains("job") || !body["job"].contains("id")) {
          ADD_FAILURE() << "upload " << i << ": " << res->body;
          continue;
        }
        job_ids[i] = body["job"]["id"].get<std::string>();
      }
    });
  for (auto& t : clients) t.join();
  ASSERT_FALSE(::testing::Test::HasFailure());

  // SIGKILL the first worker while it holds a running job.
  const std::string held = "SELECT id FROM jobs WHERE state = 'running' AND worker LIKE '%:" +
                           std::to_string(doomed.pid()) + ":%' LIMIT 1";
  std::string killed_job;
  for (int i = 0; i < 3000 && killed_job.empty(); ++i) {
    killed_job = db_->scalar(held);
    if (killed_job.empty()) std::this_thread::sleep_for(10ms);
  }
  ASSERT_FALSE(killed_job.empty()) << "the first worker never held a running job";
  doomed.kill(SIGKILL);

  // Every job ends; the killed one is claimed again once its lease runs out.
  for (int i = 0; i < 1800; ++i) {
    if (count("SELECT count(*) FROM jobs WHERE state IN ('queued', 'running')") == 0) break;
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(count("SELECT count(*) FROM jobs"), uploads);
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE state = 'done'"), uploads)
      << db_->scalar("SELECT string_agg(state || ' ' || error_message, '; ') FROM jobs WHERE state <> 'done'");
  EXPECT_EQ(db_->scalar("SELECT state FROM jobs WHERE id = '" + killed_job + "'"), "done");
  EXPECT_GE(count("SELECT attempts FROM jobs WHERE id = '" + killed_job + "'"), 2);
  // Exactly one analysis per job, and each job names it.
  EXPECT_EQ(count("SELECT count(*) FROM analyses"), uploads);
  EXPECT_EQ(count("SELECT count(DISTINCT job_id) FROM analyses"), uploads);
  EXPECT_EQ(count("SELECT count(*) FROM jobs j JOIN analyses a ON a.id = j.analysis_id AND a.job_id = j.id"),
            uploads);

  // Every upload's analysis and audio, through either server.
  for (int i = 0; i < uploads; ++i) {
    auto client_a = a.client();
    const auto job = client_a.Get("/api/v1/jobs/" + job_ids[i]);
    ASSERT_TRUE(job && job->status == 200) << i;
    const std::string analysis = nlohmann::json::parse(job->body).at("job").at("analysis_id").get<std::string>();
    for (const ServeChild* server : {&a, &b}) {
      auto client = server->client();
      const auto got = client.Get("/api/v1/analyses/" + analysis);
      ASSERT_TRUE(got && got->status == 200) << i << " on port " << server->port();
      const auto audio = client.Get("/api/v1/analyses/" + analysis + "/audio");
      ASSERT_TRUE(audio && audio->status == 200) << i << " on port " << server->port();
      EXPECT_EQ(audio->body, clips_[clip_of[i]]) << i;
    }
  }
  std::cerr << "cluster test: " << uploads << " uploads in "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() << " s\n";
}

}  // namespace
