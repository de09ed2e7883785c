// `soundlens analyze DIR --out-dir OUT` run as a user runs it, over a temp
// folder of real short clips (copied from ../shared/audio at test time), a
// text file renamed .wav, a file that is not audio, a hidden file and a name
// with a comma, a quote and a line break.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "command_output.h"
#include "test_paths.h"

namespace {

namespace fs = std::filesystem;
using namespace soundlens::test;

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

// An RFC 4180 reader written for the test (quoted fields with "" inside, CRLF or LF line ends).
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool in_quotes = false, any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    any = true;
    if (in_quotes) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += '"', ++i;
      else if (c == '"') in_quotes = false;
      else field += c;
    } else if (c == '"') {
      in_quotes = true;
    } else if (c == ',') {
      row.push_back(field), field.clear();
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      row.push_back(field), field.clear();
      rows.push_back(row), row.clear();
      any = false;
    } else {
      field += c;
    }
  }
  if (any) row.push_back(field), rows.push_back(row);
  return rows;
}

// Rows as maps from the header's names.
std::vector<std::map<std::string, std::string>> csv_records(const std::string& text) {
  const auto rows = parse_csv(text);
  std::vector<std::map<std::string, std::string>> out;
  if (rows.empty()) return out;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    EXPECT_EQ(rows[r].size(), rows[0].size()) << "row " << r;
    std::map<std::string, std::string> record;
    for (std::size_t c = 0; c < rows[0].size() && c < rows[r].size(); ++c) record[rows[0][c]] = rows[r][c];
    out.push_back(record);
  }
  return out;
}

const std::string kOdd = "sub/odd, \"name\"\nline.ogg";

// A shared clip copied into the test's folder, writable (the shared files are read-only).
void copy_clip(const std::string& shared, const fs::path& to) {
  fs::copy_file(shared_audio(shared), to);
  fs::permissions(to, fs::perms::owner_write, fs::perm_options::add);
}

struct Folder {
  fs::path root, in, out;
  Folder(const std::string& tag) {
    root = fs::temp_directory_path() / ("soundlens-batch-" + tag + "-" + std::to_string(::getpid()));
    fs::remove_all(root);
    in = root / "in";
    out = root / "out";
    fs::create_directories(in / "sub");
    copy_clip("awkward/01_stereo_44k1_coughing.mp3", in / "a_cough.mp3");
    copy_clip("awkward/02_vorbis_44k1_dog.ogg", in / kOdd);
    copy_clip("awkward/03_short_0p3s_door_knock.wav", in / "sub" / "knock.wav");
    std::ofstream(in / "bad.wav") << "this is a text file, not a recording\n";
    std::ofstream(in / "notes.txt") << "not audio\n";
    copy_clip("awkward/03_short_0p3s_door_knock.wav", in / ".hidden.wav");
  }
  ~Folder() { fs::remove_all(root); }
  std::string args() const { return quoted(in) + " --out-dir " + quoted(out) + " --class Cough --top-k 3"; }
};

std::map<std::string, std::map<std::string, std::string>> by_path(const fs::path& batch_csv) {
  std::map<std::string, std::map<std::string, std::string>> out;
  for (auto& r : csv_records(slurp(batch_csv))) out[r["path"]] = r;
  return out;
}

TEST(BatchCli, OneBadFileDoesNotStopTheOthersAndItsErrorIsInTheTable) {
  Folder f("bad");
  const CommandResult r = run_analyze(f.args());
  EXPECT_EQ(r.status, 1) << r.out;  // some failed
  EXPECT_NE(r.out.find("3 done (3 analysed, 0 resumed), 1 failed, 1 skipped"), std::string::npos) << r.out;
  // stderr is no terminal here: one plain line per file.
  EXPECT_NE(r.out.find("[3/4] sub/knock.wav: done"), std::string::npos) << r.out;

  auto rows = by_path(f.out / "batch.csv");
  ASSERT_EQ(rows.size(), 5u) << slurp(f.out / "batch.csv");  // the hidden file is not listed
  EXPECT_EQ(rows["bad.wav"]["status"], "failed");
  EXPECT_EQ(rows["bad.wav"]["error_code"], "unsupported_format");
  EXPECT_FALSE(rows["bad.wav"]["error_message"].empty());
  EXPECT_EQ(rows["notes.txt"]["status"], "skipped");
  for (const std::string& path : std::vector<std::string>{"a_cough.mp3", kOdd, "sub/knock.wav"}) {
    ASSERT_EQ(rows[path]["status"], "done") << path;
    EXPECT_GT(std::stod(rows[path]["duration_s"]), 0.2) << path;
    EXPECT_FALSE(rows[path]["top_class"].empty()) << path;
    EXPECT_TRUE(fs::is_regular_file(f.out / (path + ".json"))) << path;
    EXPECT_TRUE(fs::is_regular_file(f.out / (path + ".png"))) << path;
    EXPECT_TRUE(fs::is_regular_file(f.out / (path + ".events.csv"))) << path;
  }
  EXPECT_NEAR(std::stod(rows["a_cough.mp3"]["duration_s"]), 5.04, 0.05);
  EXPECT_FALSE(fs::exists(f.out / "bad.wav.json"));  // a failed file leaves nothing

  // The combined table: every event of every file, with the file's path and its own times.
  const auto events = csv_records(slurp(f.out / "events.csv"));
  std::map<std::string, int> per_file;
  for (const auto& e : events) {
    ASSERT_TRUE(rows.contains(e.at("file"))) << e.at("file");
    const double duration = std::stod(rows[e.at("file")]["duration_s"]);
    EXPECT_GE(std::stod(e.at("onset_s")), 0.0);
    EXPECT_LE(std::stod(e.at("offset_s")), duration + 0.01);
    ++per_file[e.at("file")];
  }
  EXPECT_GE(per_file["a_cough.mp3"], 1) << slurp(f.out / "events.csv");
  for (const std::string& path : std::vector<std::string>{"a_cough.mp3", kOdd, "sub/knock.wav"}) {
    const auto j = nlohmann::json::parse(slurp(f.out / (path + ".json")));
    EXPECT_EQ(j["file"], path);
    EXPECT_EQ(per_file[path], int(j["events"].size())) << path;
    EXPECT_EQ(std::to_string(j["events"].size()), rows[path]["events"]) << path;
    // The first event's onset in the combined table is the file's own.
    if (!j["events"].empty())
      for (const auto& e : events)
        if (e.at("file") == path) {
          EXPECT_NEAR(std::stod(e.at("onset_s")), j["events"][0]["onset_s"].get<double>(), 0.001);
          break;
        }
  }
}

TEST(BatchCli, ResumeRedoesOnlyWhatIsMissingOrHalfWritten) {
  Folder f("resume");
  ASSERT_EQ(run_analyze(f.args()).status, 1);
  const auto knock_time = fs::last_write_time(f.out / "sub/knock.wav.json");
  fs::remove(f.out / "a_cough.mp3.json");
  const std::string odd_json = slurp(f.out / (kOdd + ".json"));
  std::ofstream(f.out / (kOdd + ".json"), std::ios::binary) << odd_json.substr(0, odd_json.size() / 2);

  const CommandResult again = run_analyze(f.args() + " --resume");
  EXPECT_EQ(again.status, 1) << again.out;  // bad.wav fails again
  EXPECT_NE(again.out.find("3 done (2 analysed, 1 resumed), 1 failed"), std::string::npos) << again.out;
  EXPECT_EQ(fs::last_write_time(f.out / "sub/knock.wav.json"), knock_time);
  EXPECT_TRUE(nlohmann::json::accept(slurp(f.out / (kOdd + ".json"))));
  auto rows = by_path(f.out / "batch.csv");
  EXPECT_EQ(rows["sub/knock.wav"]["status"], "done");  // a resumed file keeps its row
  EXPECT_FALSE(rows["sub/knock.wav"]["top_class"].empty());
  EXPECT_EQ(rows["bad.wav"]["error_code"], "unsupported_format");

  // A source that changed is analysed again, whatever its outputs say.
  std::ofstream(f.in / "sub" / "knock.wav", std::ios::app) << std::string(2, '\0');
  const CommandResult third = run_analyze(f.args() + " --resume");
  EXPECT_NE(third.out.find("3 done (1 analysed, 2 resumed)"), std::string::npos) << third.out;
}

TEST(BatchCli, FolderOptionsAreCheckedBeforeAnythingRuns) {
  Folder f("options");
  for (const auto& [args, says] : std::vector<std::pair<std::string, std::string>>{
           {quoted(f.in), "--out-dir"},
           {quoted(f.in) + " --out-dir " + quoted(f.out) + " --figure x.png", "--figure"},
           {quoted(f.in) + " --out-dir " + quoted(f.out) + " --json", "--json"},
           {quoted(f.in / "a_cough.mp3") + " --out-dir " + quoted(f.out), "for a folder"}}) {
    const CommandResult r = run_analyze(args);
    EXPECT_EQ(r.status, 2) << args << ": " << r.out;
    EXPECT_NE(r.out.find(says), std::string::npos) << args << ": " << r.out;
  }
  EXPECT_FALSE(fs::exists(f.out / "batch.csv"));
}

// Ctrl-C stops after the file being analysed, with the table of the files so far.
TEST(BatchCli, InterruptStopsAfterTheCurrentFileWithTheTableSoFar) {
  Folder f("interrupt");
  for (int i = 0; i < 4; ++i)
    copy_clip("awkward/02_vorbis_44k1_dog.ogg", f.in / ("more_" + std::to_string(i) + ".ogg"));
  int err[2];
  ASSERT_EQ(::pipe(err), 0);
  const std::string binary = soundlens_binary(), in = f.in.string(), out = f.out.string(), models = models_dir();
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(err[1], STDERR_FILENO);
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, STDOUT_FILENO);
    ::close(err[0]);
    ::execl(binary.c_str(), binary.c_str(), "analyze", in.c_str(), "--out-dir", out.c_str(), "--model-dir",
            models.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(err[1]);
  std::string seen;
  char buffer[512];
  while (seen.find("[2/") == std::string::npos) {  // two files finished: the third is running
    const ssize_t n = ::read(err[0], buffer, sizeof buffer);
    if (n <= 0) break;
    seen.append(buffer, std::size_t(n));
  }
  ::kill(pid, SIGINT);
  while (::read(err[0], buffer, sizeof buffer) > 0) {
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(err[0]);
  ASSERT_TRUE(WIFEXITED(status)) << seen;
  EXPECT_EQ(WEXITSTATUS(status), 130);
  const auto rows = csv_records(slurp(f.out / "batch.csv"));
  // a_cough.mp3, bad.wav, and the file running when the signal came (if the
  // signal came after the next file began): never the rest.
  ASSERT_GE(rows.size(), 2u) << slurp(f.out / "batch.csv");
  ASSERT_LE(rows.size(), 3u) << slurp(f.out / "batch.csv");
  EXPECT_EQ(rows[0].at("path"), "a_cough.mp3");
  EXPECT_EQ(rows[1].at("status"), "failed");
  if (rows.size() == 3) {
    EXPECT_EQ(rows[2].at("status"), "done");
  }
  EXPECT_FALSE(fs::exists(f.out / "more_1.ogg.json"));
}

}  // namespace
