// Issue 17, item 7, through the real server: the data directory and its files
// are the owner's only; pages run only the inline scripts their policy names
// by hash; a garbage chunk size is named; 404 messages quote the path whole.
#include <gtest/gtest.h>
#include <openssl/sha.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "raw_client.h"
#include "storage/job_store.h"
#include "test_paths.h"
#include "test_server.h"

namespace soundlens::test {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

const std::string cough_file = "cough/00096021-2cb2-4098-b906-4878a5e225a3.flac";

unsigned mode_of(const fs::path& path) {
  struct stat st {};
  EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

// Every directory under (and including) `root` is 0700 and every file 0600; the names of the files seen.
std::set<std::string> expect_private_tree(const fs::path& root) {
  std::set<std::string> files;
  EXPECT_EQ(mode_of(root), 0700u) << root;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    const std::string relative = fs::relative(entry.path(), root).string();
    if (entry.is_directory()) {
      EXPECT_EQ(mode_of(entry.path()), 0700u) << relative;
    } else {
      EXPECT_EQ(mode_of(entry.path()), 0600u) << relative;
      files.insert(relative);
    }
  }
  return files;
}

nlohmann::json wait_for_job(httplib::Client& c, const std::string& id) {
  for (int i = 0; i < 600; ++i) {
    const auto job = json_of(c.Get(("/api/v1/jobs/" + id).c_str())).value("job", nlohmann::json::object());
    if (job.value("state", "") == "done" || job.value("state", "") == "failed") return job;
    std::this_thread::sleep_for(100ms);
  }
  return {};
}

TEST(Hardening, TheDataDirectoryAndEveryFileInItAreTheOwnersOnly) {
  ::umask(022);  // as a shell gives it: the modes must not depend on the umask
  TestServer server({.auth = auth::AuthMode::required});
  const std::string key = server.issue_key("ann");
  auto c = server.client();
  c.set_default_headers({{"Authorization", "Bearer " + key}});
  const std::string audio = read_file(shared_audio(cough_file));
  const auto created = upload(c, "/api/v1/analyses", "cough.flac", audio);
  ASSERT_EQ(created->status, 201) << created->body;
  const std::string id = json_of(created)["id"];
  // Caches: a figure and the spectrogram; a job (its upload waits in jobs/ until it has run).
  EXPECT_EQ(c.Get(("/api/v1/analyses/" + id + "/figure.png").c_str())->status, 200);
  EXPECT_EQ(c.Get(("/api/v1/analyses/" + id + "/spectrogram").c_str())->status, 200);
  const auto job = upload(c, "/api/v1/analyses", "cough.flac", audio, {{"async", "1", "", ""}});
  ASSERT_EQ(job->status, 202) << job->body;
  EXPECT_EQ(wait_for_job(c, json_of(job)["job"]["id"]).value("state", ""), "done");

  const auto files = expect_private_tree(server.data_dir() / "data");
  for (const char* name : {"soundlens.db", "soundlens.db-wal", "soundlens.db-shm", "auth.secret"})
    EXPECT_TRUE(files.contains(name)) << name;
  EXPECT_TRUE(files.contains("audio/" + id));
  EXPECT_TRUE(std::any_of(files.begin(), files.end(), [&](const std::string& f) { return f.starts_with("cache/" + id + "/"); }));
  EXPECT_TRUE(fs::is_directory(server.data_dir() / "data" / "jobs"));
}

TEST(Hardening, AQueuedJobsUploadIsTheOwnersOnly) {
  ::umask(022);
  const fs::path dir = fs::temp_directory_path() / ("soundlens-job-modes-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  {
    auto jobs = open_sqlite_jobs((dir / "data").string());
    const std::vector<std::uint8_t> upload(1000, 7);
    const JobRecord job = jobs->create(JobRecord{}, upload);
    EXPECT_EQ(mode_of(dir / "data" / "jobs" / job.id), 0600u);
    expect_private_tree(dir / "data");
  }
  fs::remove_all(dir);
}

// An older version's data directory: its folders and database are narrowed when it is opened.
TEST(Hardening, AnOlderDataDirectoryIsNarrowedWhenOpened) {
  ::umask(022);
  const fs::path dir = fs::temp_directory_path() / ("soundlens-old-modes-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "data" / "audio");
  fs::create_directories(dir / "data" / "cache");
  std::ofstream(dir / "data" / "soundlens.db").close();
  for (const auto& p : {dir / "data" / "audio", dir / "data" / "cache"}) fs::permissions(p, fs::perms(0755));
  fs::permissions(dir / "data" / "soundlens.db", fs::perms(0644));
  open_sqlite_store((dir / "data").string());
  EXPECT_EQ(mode_of(dir / "data" / "audio"), 0700u);
  EXPECT_EQ(mode_of(dir / "data" / "cache"), 0700u);
  EXPECT_EQ(mode_of(dir / "data" / "soundlens.db"), 0600u);
  EXPECT_EQ(mode_of(dir / "data"), 0755u) << "the data directory itself is the operator's choice";
  fs::remove_all(dir);
}

// --- the page's Content-Security-Policy --------------------------------------

std::string sha256_source(const std::string& text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string b64;
  for (std::size_t i = 0; i < sizeof digest; i += 3) {
    const unsigned v = (digest[i] << 16) | ((i + 1 < sizeof digest ? digest[i + 1] : 0) << 8) |
                       (i + 2 < sizeof digest ? digest[i + 2] : 0);
    b64 += alphabet[v >> 18];
    b64 += alphabet[(v >> 12) & 63];
    b64 += i + 1 < sizeof digest ? alphabet[(v >> 6) & 63] : '=';
    b64 += i + 2 < sizeof digest ? alphabet[v & 63] : '=';
  }
  return "'sha256-" + b64 + "'";
}

// The inline scripts of a page, found independently of the server: a <script
// tag (any case) whose attributes have no src=, up to its </script>.
std::vector<std::string> inline_scripts(const std::string& html) {
  std::string lower = html;
  for (char& ch : lower) ch = char(std::tolower(static_cast<unsigned char>(ch)));
  std::vector<std::string> scripts;
  for (std::size_t at = lower.find("<script"); at != std::string::npos; at = lower.find("<script", at + 1)) {
    const std::size_t open_end = lower.find('>', at);
    const std::size_t close = lower.find("</script", open_end);
    if (open_end == std::string::npos || close == std::string::npos) break;
    const std::string tag = lower.substr(at, open_end - at);
    if (tag.find(" src=") == std::string::npos) scripts.push_back(html.substr(open_end + 1, close - open_end - 1));
    at = close;
  }
  return scripts;
}

std::string script_src(const std::string& csp) {
  const auto start = csp.find("script-src");
  if (start == std::string::npos) return "";
  return csp.substr(start, csp.find(';', start) - start);
}

// The page at `target`: its policy names the hash of each of its inline scripts and has no 'unsafe-inline' for scripts.
void expect_inline_scripts_hashed(int port, const std::string& target, std::size_t at_least = 1) {
  const std::string response = raw_get(port, target);
  ASSERT_EQ(status_of(response), 200) << target;
  const std::string csp = header_of(response, "Content-Security-Policy");
  const std::string scripts = script_src(csp);
  ASSERT_FALSE(scripts.empty()) << target << ": " << csp;
  EXPECT_EQ(scripts.find("'unsafe-inline'"), std::string::npos) << target << ": " << scripts;
  EXPECT_EQ(scripts.find("'unsafe-eval'"), std::string::npos) << target << ": " << scripts;
  const auto inline_ones = inline_scripts(body_of(response));
  EXPECT_GE(inline_ones.size(), at_least) << target;
  for (const auto& script : inline_ones)
    EXPECT_NE(scripts.find(sha256_source(script)), std::string::npos)
        << target << ": no hash for the inline script " << script.substr(0, 80);
}

TEST(Hardening, APageAllowsItsOwnInlineScriptsByHashOnly) {
  const fs::path web = fs::temp_directory_path() / ("soundlens-csp-web-" + std::to_string(::getpid()));
  fs::remove_all(web);
  fs::create_directories(web / "history");
  std::ofstream(web / "index.html") << "<!doctype html><html><head><script src=\"/app.js\" async=\"\"></script>"
                                       "<script>self.__next_f=self.__next_f||[]</script></head><body>"
                                       "<SCRIPT id=\"_R_\">document.title = \"a > b\";</SCRIPT>"
                                       "<script>self.__next_f.push([1,\"x\"])</script></body></html>";
  std::ofstream(web / "history" / "index.html") << "<!doctype html><script>console.log('history')</script>";
  {
    TestServer server({.load_model = false, .web_dir = web.string()});
    expect_inline_scripts_hashed(server.port(), "/", 3);
    expect_inline_scripts_hashed(server.port(), "/history", 1);
    expect_inline_scripts_hashed(server.port(), "/some/app/route", 3);  // index.html again
    // Only those: another page's script and an external one are not named.
    const std::string csp = header_of(raw_get(server.port(), "/"), "Content-Security-Policy");
    EXPECT_EQ(csp.find(sha256_source("console.log('history')")), std::string::npos) << csp;
    EXPECT_EQ(csp.find("'unsafe-inline'"), csp.find("style-src 'self' 'unsafe-inline'") + 17) << csp;
    if (fs::exists(source_dir() + "/web/node_modules/swagger-ui-dist/swagger-ui-bundle.js"))
      expect_inline_scripts_hashed(server.port(), "/docs", 1);
  }
  fs::remove_all(web);
}

// The real build of the web app (web/out): every page, as the browser gets it.
TEST(Hardening, EveryPageOfTheBuiltWebAppNamesTheHashOfEachInlineScript) {
  const fs::path out = fs::path(source_dir()) / "web" / "out";
  if (!fs::exists(out / "index.html")) GTEST_SKIP() << "the web app is not built (cd web && npm run build)";
  TestServer server({.load_model = false, .web_dir = out.string()});
  int pages = 0;
  for (const auto& entry : fs::recursive_directory_iterator(out)) {
    if (entry.path().extension() != ".html") continue;
    std::string target = "/" + fs::relative(entry.path(), out).string();
    if (target.ends_with("/index.html")) target.resize(target.size() - 10);  // "/history/index.html" -> "/history/"
    if (target.size() > 1 && target.ends_with('/')) target.pop_back();
    SCOPED_TRACE(target);
    expect_inline_scripts_hashed(server.port(), target);
    ++pages;
  }
  EXPECT_GE(pages, 3);
}

// --- messages -----------------------------------------------------------------

std::string chunked_upload(int port, const std::string& framed_body) {
  return raw_exchange(port, "POST /api/v1/analyses HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            "Content-Type: multipart/form-data; boundary=b0undary\r\n"
                            "Transfer-Encoding: chunked\r\n\r\n" +
                                framed_body);
}

std::string chunk(const std::string& bytes) {
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", bytes.size());
  return size + bytes + "\r\n";
}

TEST(Hardening, AGarbageChunkSizeIsNamed) {
  TestServer server({.load_model = false});
  const std::string part = "--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\nRIFF";
  const std::string garbage = chunked_upload(server.port(), chunk(part) + "zz\r\nmore\r\n0\r\n\r\n");
  EXPECT_EQ(status_of(garbage), 400) << garbage;
  EXPECT_NE(message_of(garbage).find("the chunked body has an invalid chunk size 'zz'"), std::string::npos) << garbage;
  const std::string first = chunked_upload(server.port(), "not-hex\r\n" + part + "\r\n0\r\n\r\n");
  EXPECT_NE(message_of(first).find("invalid chunk size 'not-hex'"), std::string::npos) << first;
  // Well-framed chunks of a multipart body without its end are still that.
  const std::string unterminated = chunked_upload(server.port(), chunk(part) + "0\r\n\r\n");
  EXPECT_EQ(status_of(unterminated), 400) << unterminated;
  EXPECT_NE(message_of(unterminated).find("closing boundary"), std::string::npos) << unterminated;
}

TEST(Hardening, NotFoundMessagesQuoteTheWholePath) {
  TestServer server({.load_model = false});
  for (const auto& [target, says] : std::vector<std::pair<std::string, std::string>>{
           {"/docs/%00", "no docs file '\\x00'"},
           {"/docs/a%00b", "no docs file 'a\\x00b'"},
           {"/a%00b", "no file '/a\\x00b'"},
           {"/api/v1/jobs/0123456789abcdef0123456789abcd%00e", "no job with id '0123456789abcdef0123456789abcd\\x00e'"},
           {"/api/v2/x%00y", "no API route GET '/api/v2/x\\x00y'"}}) {
    const std::string response = raw_get(server.port(), target);
    EXPECT_EQ(status_of(response), 404) << target << "\n" << response;
    EXPECT_EQ(message_of(response), says) << target;
  }
}

// --- POST /api/v1/analyses refuses what it does not take, as a batch does ----------

TEST(Hardening, AnUploadRefusesUnknownFieldsAndASecondFileNamingThem) {
  TestServer server;
  auto c = server.client();
  const std::string audio = read_file(shared_audio(cough_file));
  const auto refused = [&](const httplib::MultipartFormDataItems& form, const std::string& says) {
    const auto res = c.Post("/api/v1/analyses", form);
    expect_error(res, 400, "bad_request");
    EXPECT_NE(json_of(res)["error"]["message"].get<std::string>().find(says), std::string::npos) << res->body;
  };
  const httplib::MultipartFormDataItems::value_type file{"file", audio, "cough.flac", "audio/flac"};
  refused({file, {"colour", "blue", "", ""}}, "unknown field 'colour' (POST /api/v1/analyses takes file, model");
  refused({file, {"topk", "3", "", ""}}, "unknown field 'topk'");  // a misspelt option is not ignored
  refused({file, {"file", audio, "second.flac", "audio/flac"}}, "more than one field 'file'");
  refused({file, {"other", audio, "x.flac", "audio/flac"}}, "got a file in 'other'");
  refused({{"file", "not a file", "", ""}}, "the field 'file' must be a file");
  refused({file, {"async", "1", "", ""}, {"file", audio, "second.flac", "audio/flac"}}, "more than one field 'file'");
  refused({file, {"models", "mn04_as,yamnet", "", ""}, {"colour", "blue", "", ""}}, "unknown field 'colour'");
  EXPECT_EQ(server.stored_audio_files(), 0u);
  EXPECT_EQ(json_of(c.Get("/api/v1/jobs"))["items"].size(), 0u);
  // The declared fields still go through.
  const auto fine = c.Post("/api/v1/analyses", {file, {"top_k", "3", "", ""}, {"model", "mn04_as", "", ""}});
  EXPECT_EQ(fine->status, 201) << fine->body;
}

}  // namespace
}  // namespace soundlens::test
