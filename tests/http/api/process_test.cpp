// The real `soundlens serve` program as a child process: killed with SIGKILL
// in the middle of uploads its history stays consistent; SIGTERM lets the
// request in flight finish before it exits.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "serve_child.h"
#include "test_paths.h"
#include "raw_client.h"
#include "test_server.h"

namespace soundlens::test {
namespace {
namespace fs = std::filesystem;

class ServeProcess {
 public:
  explicit ServeProcess(const fs::path& data_dir)
      : child_(soundlens_binary(), {"--data-dir", data_dir.string(), "--model-dir", models_dir(), "--log-format",
                                    "off", "--max-concurrent", "2", "--queue-size", "16",
                                    // long uploads stay synchronous here (jobs: jobs_test.cpp)
                                    "--async-over-s", "3600"}) {}
  httplib::Client client() const { return child_.client(); }
  int port() const { return child_.port(); }
  int signal_and_wait(int signal) { return child_.signal_and_wait(signal); }

 private:
  ServeChild child_;  // killed and reaped also when it fails to start
};

fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("soundlens-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

// A server that starts but never becomes healthy must not outlive the failed start.
TEST(ServeProcess, AFailedStartLeavesNoChildBehind) {
  const fs::path dir = fresh_dir("failed-start");
  fs::create_directories(dir);
  const fs::path script = dir / "fake-serve";
  std::ofstream(script) << "#!/bin/sh\necho $$ > '" << (dir / "pid").string()
                        << "'\necho 'fake: serving http://127.0.0.1:1 (never healthy)'\nexec sleep 60\n";
  fs::permissions(script, fs::perms::owner_all);
  EXPECT_THROW(ServeChild(script.string(), {}, std::chrono::milliseconds(300)), std::runtime_error);
  std::ifstream pid_file(dir / "pid");
  pid_t pid = 0;
  ASSERT_TRUE(pid_file >> pid);
  EXPECT_NE(::kill(pid, 0), 0) << "child " << pid << " still exists";  // killed and reaped, not a zombie
  fs::remove_all(dir);
}

TEST(ServeProcess, HistoryIsConsistentAfterSigkillDuringUploads) {
  const fs::path dir = fresh_dir("sigkill");
  const std::string wav = read_file(shared_audio("example/metro_station-paris.wav"));
  std::atomic<int> created = 0;
  {
    ServeProcess serve(dir);
    std::atomic<bool> stop = false;
    std::vector<std::thread> clients;
    for (int i = 0; i < 6; ++i)
      clients.emplace_back([&] {
        auto c = serve.client();
        while (!stop) {
          auto res = upload(c, "/api/v1/analyses", "metro.wav", wav, {{"top_k", "1", "", ""}});
          if (res && res->status == 201) ++created;
        }
      });
    while (created < 4) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::this_thread::sleep_for(std::chrono::milliseconds(130));  // land somewhere mid-upload
    const int status = serve.signal_and_wait(SIGKILL);
    EXPECT_TRUE(WIFSIGNALED(status));
    stop = true;
    for (auto& t : clients) t.join();
  }
  ServeProcess restarted(dir);
  auto c = restarted.client();
  const auto page = json_of(c.Get("/api/v1/analyses?limit=500"));
  const int total = page["total"];
  EXPECT_GE(total, created.load());  // every acknowledged upload survived
  EXPECT_EQ(int(page["items"].size()), total);
  for (const auto& item : page["items"]) {
    const std::string id = item["id"];
    EXPECT_EQ(c.Get(("/api/v1/analyses/" + id).c_str())->status, 200) << id;
    auto audio = c.Get(("/api/v1/analyses/" + id + "/audio").c_str());
    ASSERT_TRUE(audio);
    EXPECT_EQ(audio->status, 200) << id;
    EXPECT_TRUE(audio->body == wav) << id;
  }
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir / "audio")) {
    EXPECT_FALSE(e.path().filename().string().starts_with(".tmp-")) << e.path();
    ++files;
  }
  EXPECT_EQ(files, std::size_t(total));  // no orphan audio either
  fs::remove_all(dir);
}

// A second server on a data directory in use stops before it touches it
// (its leftover cleanup would delete the first one's uploads in flight).
TEST(ServeProcess, ASecondServeOnADataDirectoryInUseFailsClearly) {
  const fs::path dir = fresh_dir("second-serve");
  ServeProcess first(dir);
  fs::create_directories(dir / "audio");
  std::ofstream(dir / "audio" / ".tmp-upload-in-flight") << "partial";
  const std::string command = soundlens_binary() + " serve --port 0 --data-dir '" + dir.string() +
                              "' --model-dir '" + models_dir() + "' 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
  const int status = ::pclose(pipe);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0) << output;
  EXPECT_NE(output.find("is in use by another soundlens process"), std::string::npos) << output;
  EXPECT_EQ(output.find("serving http"), std::string::npos) << output;
  EXPECT_TRUE(fs::exists(dir / "audio" / ".tmp-upload-in-flight"));
  EXPECT_EQ(first.client().Get("/health")->status, 200);
  fs::remove_all(dir);
}

// The real program makes its data directory 0700 and every file in it 0600
// (its own modes, and umask 077 for whatever a library creates).
TEST(ServeProcess, TheDataDirectoryItMakesIsTheOwnersOnly) {
  const fs::path dir = fresh_dir("private-modes");
  const auto mode_of = [](const fs::path& path) {
    struct stat st {};
    EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
    return unsigned(st.st_mode & 07777);
  };
  {
    ServeProcess server(dir);
    auto c = server.client();
    const auto created = upload(c, "/api/v1/analyses", "cough.flac",
                                read_file(shared_audio("cough/00096021-2cb2-4098-b906-4878a5e225a3.flac")));
    ASSERT_TRUE(created);
    ASSERT_EQ(created->status, 201) << created->body;
    const std::string id = json_of(created)["id"];
    EXPECT_EQ(c.Get(("/api/v1/analyses/" + id + "/figure.png").c_str())->status, 200);
    EXPECT_TRUE(fs::exists(dir / "audio" / id));
    EXPECT_TRUE(fs::exists(dir / "soundlens.db-wal"));
    EXPECT_EQ(mode_of(dir), 0700u);
    int files = 0;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      EXPECT_EQ(mode_of(entry.path()), entry.is_directory() ? 0700u : 0600u) << entry.path();
      files += entry.is_regular_file();
    }
    EXPECT_GE(files, 6);  // database, WAL, SHM, lock, install secret, recording, figure
  }
  fs::remove_all(dir);
}

TEST(ServeProcess, SigtermFinishesTheRequestInFlight) {
  const fs::path dir = fresh_dir("sigterm");
  ServeProcess serve(dir);
  const std::string long_wav = read_file(shared_audio("awkward/04_long_90s_concat.wav"));
  // Sent whole before the signal, so that it is in flight however slowly threads get scheduled.
  const std::string body = "--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"long.wav\"\r\n\r\n" +
                           long_wav + "\r\n--b0undary--\r\n";
  RawConnection upload(serve.port());
  ASSERT_TRUE(upload.send("POST /api/v1/analyses HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; "
                          "boundary=b0undary\r\nContent-Length: " +
                          std::to_string(body.size()) + "\r\n\r\n" + body));
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  const int status = serve.signal_and_wait(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_EQ(status_of(upload.read_response(std::chrono::seconds(5))), 201);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace soundlens::test
