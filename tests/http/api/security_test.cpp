// The holes of issue 7 on the HTTP side, probed as an attacker would: with
// raw sockets against the real server (in process, real model, OS-chosen port).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "core/error.h"
#include "raw_client.h"
#include "storage/analysis_store.h"
#include "test_paths.h"
#include "test_server.h"

namespace soundlens::test {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

const std::string metro = "example/metro_station-paris.wav";

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// A multipart/form-data body with one file part.
std::string multipart(const std::string& boundary, const std::string& filename, const std::string& content,
                      bool terminated = true) {
  std::string body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename +
                     "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + content;
  if (terminated) body += "\r\n--" + boundary + "--\r\n";
  return body;
}

std::string post_head(const std::string& target, const std::string& headers) {
  return "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n";
}

// --- 1. the web root ------------------------------------------------------

TEST(Security, NoFileOutsideTheWebRootIsServed) {
  TestServer server;
  const fs::path web = server.data_dir() / "web";
  std::ofstream(server.data_dir() / "secret.txt") << "TOP-SECRET";
  fs::create_symlink(server.data_dir() / "secret.txt", web / "link.txt");
  fs::create_symlink(server.data_dir(), web / "up");
  fs::create_symlink("/etc", web / "etc");
  const std::string secret_path = (server.data_dir() / "secret.txt").string();
  const std::string db_path = (server.data_dir() / "data" / "soundlens.db").string();
  for (const std::string& target : std::vector<std::string>{"//etc/passwd", "//etc/hostname", "/%2Fetc%2Fhostname", "/%2fetc%2fpasswd", "/..%2f", "/..%2f..%2fsecret.txt",
        "/%2e%2e/secret.txt", "/%2e%2e%2fsecret.txt", "/..\\..\\secret.txt", "/%5c..%5csecret.txt",
        "/index.html%00.png", "/%00", "/link.txt", "/up/secret.txt", "/up/data/soundlens.db", "/etc/passwd",
        "/etc/hostname", "/" + secret_path, "/" + db_path, "/%252e%252e/secret.txt", "/./link.txt"}) {
    const std::string response = raw_get(server.port(), target);
    const int status = status_of(response);
    // Refused, or a plain name (etc/passwd) taken as a route of the app, which answers with its own page.
    const bool app_page = status == 200 && body_of(response) == read_file((web / "index.html").string());
    EXPECT_TRUE(status == 404 || status == 400 || app_page) << target << " -> " << response.substr(0, 200);
    EXPECT_EQ(response.find("TOP-SECRET"), std::string::npos) << target;
    EXPECT_EQ(response.find("root:"), std::string::npos) << target;
    EXPECT_EQ(response.find("SQLite format"), std::string::npos) << target;
  }
  // An app route is still the app, and what is inside the root is still served.
  EXPECT_NE(body_of(raw_get(server.port(), "/analyses/abc")).find("soundlens test app"), std::string::npos);
  EXPECT_EQ(status_of(raw_get(server.port(), "/_next/static/app.js")), 200);
}

// --- 3. request bodies ------------------------------------------------------

TEST(Security, CompressedBodiesAreRefusedBeforeTheyAreRead) {
  TestServer server;
  for (const char* encoding : {"gzip", "deflate", "br"}) {
    RawConnection c(server.port());
    // Only the head: the refusal must not wait for the megabyte announced.
    ASSERT_TRUE(c.send(post_head("/api/v1/analyses", "Content-Type: multipart/form-data; boundary=b\r\n"
                                                     "Content-Encoding: " + std::string(encoding) +
                                                     "\r\nContent-Length: 1000000\r\n")));
    const auto start = Clock::now();
    const std::string response = c.read_response(5s);
    EXPECT_LT(ms_since(start), 2000);
    EXPECT_EQ(status_of(response), 415) << response;
    EXPECT_EQ(header_of(response, "Connection"), "close");
    EXPECT_NE(message_of(response).find("Content-Encoding"), std::string::npos) << response;
  }
  // A small gzip body sent whole gets the same answer.
  const std::string gzip_bytes("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\x03\x00\x00\x00\x00\x00\x00\x00\x00\x00", 20);
  const std::string response = raw_exchange(
      server.port(), post_head("/api/v1/analyses", "Content-Encoding: gzip\r\nContent-Length: 20\r\n") + gzip_bytes);
  EXPECT_EQ(status_of(response), 415);
  EXPECT_EQ(server.stored_audio_files(), 0u);
}

TEST(Security, OversizedContentLengthIs413AtOnceWithTheConfiguredLimit) {
  {
    TestServer server;  // the default limit: 100 MB
    RawConnection c(server.port());
    ASSERT_TRUE(c.send(post_head("/api/v1/analyses", "Content-Type: multipart/form-data; boundary=b\r\n"
                                                     "Content-Length: 209715200\r\n")));
    const auto start = Clock::now();
    const std::string response = c.read_response(5s);  // the client stalls: it sends no body at all
    EXPECT_LT(ms_since(start), 1000);
    EXPECT_EQ(status_of(response), 413) << response;
    EXPECT_NE(message_of(response).find("limit of 100 MB"), std::string::npos) << response;
  }
  TestServer server({.max_upload_bytes = 1u << 20});
  RawConnection c(server.port());
  ASSERT_TRUE(c.send(post_head("/api/v1/analyses", "Content-Length: 3000000\r\nExpect: 100-continue\r\n")));
  const std::string response = c.read_response(5s);
  EXPECT_EQ(status_of(response), 413) << response;
  EXPECT_NE(message_of(response).find("limit of 1 MB"), std::string::npos) << response;
  EXPECT_TRUE(c.closed_by_server(3s));
}

TEST(Security, ChunkedBodyIsCutOffAtTheLimitWhileItStreams) {
  TestServer server({.max_upload_bytes = 1u << 20});
  const std::size_t rss_before = resident_kb();
  RawConnection c(server.port());
  ASSERT_TRUE(c.send(post_head("/api/v1/analyses", "Content-Type: multipart/form-data; boundary=b\r\n"
                                                   "Transfer-Encoding: chunked\r\n")));
  const std::string chunk(64 * 1024, 'x');
  char size_line[32];
  std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk.size());
  const std::string framed = size_line + chunk + "\r\n";
  std::size_t sent = 0;
  const std::size_t attack = 300u << 20;
  while (sent < attack && !c.readable(0ms)) {
    if (!c.send(framed)) break;
    sent += chunk.size();
  }
  const std::string response = c.read_response(10s);
  EXPECT_EQ(status_of(response), 413) << response.substr(0, 300);
  EXPECT_NE(message_of(response).find("limit of 1 MB"), std::string::npos) << response;
  // Refused after about the limit, not after the 300 MB (the socket buffers hold a few MB more).
  EXPECT_LT(sent, 32u << 20) << "sent " << (sent >> 20) << " MB before the refusal";
  EXPECT_LT(resident_kb(), rss_before + 64 * 1024) << "the server buffered the chunked body";
  EXPECT_EQ(server.stored_audio_files(), 0u);
  EXPECT_EQ(server.client().Get("/health")->status, 200);
}

// --- 5. the history list ----------------------------------------------------

TEST(Security, HistoryListIsServedFromSummaryColumns) {
  TestServer server;
  auto c = server.client();
  auto created = upload(c, "/api/v1/analyses", "metro.wav", read_file(shared_audio(metro)));
  ASSERT_EQ(created->status, 201) << created->body;
  const auto full = json_of(created);
  const auto before = json_of(c.Get("/api/v1/analyses"));
  ASSERT_EQ(before["items"].size(), 1u);
  // Replace the stored result by 30 MB that are not even JSON: a list that parsed it would fail.
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((server.data_dir() / "data" / "soundlens.db").c_str(), &db), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "UPDATE analyses SET result = ?", -1, &stmt, nullptr), SQLITE_OK);
    const std::string junk = "{\"predictions\": [" + std::string(30u << 20, '[');
    sqlite3_bind_text(stmt, 1, junk.data(), int(junk.size()), SQLITE_TRANSIENT);
    EXPECT_EQ(sqlite3_step(stmt), SQLITE_DONE);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
  }
  const auto start = Clock::now();
  auto listed = c.Get("/api/v1/analyses");
  EXPECT_LT(ms_since(start), 1000);
  ASSERT_EQ(listed->status, 200) << listed->body.substr(0, 300);
  const auto after = json_of(listed);
  EXPECT_EQ(after, before);  // the same JSON as before, from the summary columns
  const auto& item = after["items"][0];
  EXPECT_EQ(item["predictions"], full["predictions"]);
  EXPECT_EQ(item["duration_s"], full["duration_s"]);
  EXPECT_EQ(item["model"], "mn04_as");
  EXPECT_EQ(item["id"], full["id"]);
}

// --- 6. smaller holes -------------------------------------------------------

TEST(Security, OnlyConfiguredHostNamesAreAnswered) {
  TestServer server;
  const std::string port = std::to_string(server.port());
  for (const std::string& host : std::vector<std::string>{"127.0.0.1", "127.0.0.1:" + port, "localhost", "localhost:" + port, "[::1]:" + port}) {
    const auto response = raw_exchange(server.port(), "GET /health HTTP/1.1\r\nHost: " + host +
                                                          "\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(status_of(response), 200) << host;
  }
  for (const std::string& host : std::vector<std::string>{"attacker.example", "attacker.example:" + port, "localhost.attacker.example"}) {
    const auto response = raw_exchange(server.port(), "GET /api/v1/analyses HTTP/1.1\r\nHost: " + host +
                                                          "\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(status_of(response), 400) << host;
    EXPECT_NE(message_of(response).find("--allowed-hosts"), std::string::npos) << response;
  }
  // Configured names replace the default.
  TestServer named({.allowed_hosts = "sound.example.org"});
  EXPECT_EQ(status_of(raw_exchange(named.port(), "GET /health HTTP/1.1\r\nHost: sound.example.org:443\r\n"
                                                 "Connection: close\r\n\r\n")),
            200);
  EXPECT_EQ(status_of(raw_get(named.port(), "/health")), 400);  // Host: 127.0.0.1
}

void expect_security_headers(const std::string& response, bool page) {
  EXPECT_EQ(header_of(response, "X-Content-Type-Options"), "nosniff") << response.substr(0, 400);
  EXPECT_EQ(header_of(response, "X-Frame-Options"), "DENY");
  EXPECT_EQ(header_of(response, "Referrer-Policy"), "no-referrer");
  const std::string csp = header_of(response, "Content-Security-Policy");
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  if (page) {
    EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << csp;
    EXPECT_NE(csp.find("connect-src 'self'"), std::string::npos) << csp;
  } else {
    EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << csp;
  }
}

TEST(Security, EveryResponseCarriesTheSecurityHeaders) {
  TestServer server({.max_upload_bytes = 1u << 20});
  expect_security_headers(raw_get(server.port(), "/"), true);
  expect_security_headers(raw_get(server.port(), "/history"), true);
  expect_security_headers(raw_get(server.port(), "/health"), false);
  expect_security_headers(raw_get(server.port(), "/api/v1/analyses/0123456789abcdef0123456789abcdef"), false);
  expect_security_headers(raw_get(server.port(), "/_next/static/app.js"), false);
  expect_security_headers(raw_get(server.port(), "/openapi.json"), false);
  expect_security_headers(raw_exchange(server.port(), "BREW /pot HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), false);
  expect_security_headers(
      raw_exchange(server.port(), post_head("/api/v1/analyses", "Content-Length: 9999999999\r\n")), false);
  expect_security_headers(raw_exchange(server.port(), "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " +
                                                          std::string(100000, 'a') + "\r\n\r\n"),
                          false);
}

TEST(Security, ErrorMessagesNameNoServerPaths) {
  const fs::path missing = fs::temp_directory_path() / "soundlens-no-web-app-here";
  TestServer server({.web_dir = missing.string()});
  const std::string not_built = raw_get(server.port(), "/");
  EXPECT_EQ(status_of(not_built), 404);
  EXPECT_NE(message_of(not_built).find("not built"), std::string::npos) << not_built;
  EXPECT_EQ(not_built.find(missing.string()), std::string::npos) << not_built;
  EXPECT_EQ(not_built.find("/tmp"), std::string::npos) << not_built;

  // A stored recording that no longer decodes.
  auto c = server.client();
  auto created = upload(c, "/api/v1/analyses", "metro.wav", read_file(shared_audio(metro)));
  ASSERT_EQ(created->status, 201) << created->body;
  const std::string id = json_of(created)["id"];
  std::ofstream(server.data_dir() / "data" / "audio" / id, std::ios::trunc) << "this is no longer audio";
  auto figure = c.Get("/api/v1/analyses/" + id + "/figure.png?class=3");
  ASSERT_TRUE(figure);
  EXPECT_GE(figure->status, 400);
  EXPECT_EQ(figure->body.find(server.data_dir().string()), std::string::npos) << figure->body;
  EXPECT_EQ(figure->body.find("/audio/"), std::string::npos) << figure->body;
}

TEST(Security, BrokenMultipartBodiesSayWhatWasWrong) {
  TestServer server;
  const std::string wav = read_file(shared_audio(metro));
  const auto send = [&](const std::string& body, const std::string& type) {
    return raw_exchange(server.port(), post_head("/api/v1/analyses", "Content-Type: " + type +
                                                                         "\r\nContent-Length: " +
                                                                         std::to_string(body.size()) + "\r\n") +
                                           body);
  };
  const std::string long_name = send(multipart("b0undary", std::string(100 * 1024, 'n') + ".wav", wav),
                                     "multipart/form-data; boundary=b0undary");
  EXPECT_EQ(status_of(long_name), 400) << long_name;
  EXPECT_NE(message_of(long_name).find("longer than 8 KB"), std::string::npos) << long_name;
  const std::string unterminated =
      send(multipart("b0undary", "a.wav", wav, false), "multipart/form-data; boundary=b0undary");
  EXPECT_EQ(status_of(unterminated), 400) << unterminated;
  EXPECT_NE(message_of(unterminated).find("closing boundary"), std::string::npos) << unterminated;
  const std::string no_boundary = send(multipart("b0undary", "a.wav", wav), "multipart/form-data");
  EXPECT_EQ(status_of(no_boundary), 400) << no_boundary;
  EXPECT_NE(message_of(no_boundary).find("no boundary"), std::string::npos) << no_boundary;
  EXPECT_EQ(server.stored_audio_files(), 0u);
  // A name of 8 KB and less is fine (it is shortened for display).
  const std::string fine = send(multipart("b0undary", std::string(4000, 'n') + ".wav", wav),
                                "multipart/form-data; boundary=b0undary");
  EXPECT_EQ(status_of(fine), 201) << fine.substr(0, 300);
}

// The uploaded name names the exports' downloads: folders, a second parameter
// and non-ASCII bytes in it reach the Content-Disposition header only as
// underscores and percent escapes.
TEST(Security, AnUploadedNameCannotBreakTheDownloadsHeader) {
  TestServer server;
  const std::string wav = read_file(shared_audio(metro));
  const std::string body = multipart("b0undary", "../../ward 3; filename=evil.exe \xC3\xBC.wav", wav);
  const std::string created =
      raw_exchange(server.port(), post_head("/api/v1/analyses", "Content-Type: multipart/form-data; boundary=b0undary"
                                                                "\r\nContent-Length: " +
                                                                    std::to_string(body.size()) + "\r\n") +
                                      body);
  ASSERT_EQ(status_of(created), 201) << created.substr(0, 300);
  const std::string id = nlohmann::json::parse(body_of(created))["id"];
  for (const std::string suffix : {".events.csv", ".raven.txt", ".labels.txt"}) {
    const std::string response = raw_get(server.port(), "/api/v1/analyses/" + id + "/" + suffix.substr(1));
    EXPECT_EQ(status_of(response), 200) << response.substr(0, 300);
    EXPECT_EQ(header_of(response, "Content-Disposition"),
              "attachment; filename=\"ward 3_ filename_evil.exe __" + suffix +
                  "\"; filename*=UTF-8''ward%203%3B%20filename%3Devil.exe%20%C3%BC" + suffix);
  }
}

TEST(Security, ASecondStoreOnTheSameDataDirectoryIsRefused) {
  TestServer server;
  const std::string dir = (server.data_dir() / "data").string();
  try {
    open_sqlite_store(dir);
    FAIL() << "a second store opened a data directory in use";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("in use"), std::string::npos) << e.what();
  }
  EXPECT_EQ(server.client().Get("/health")->status, 200);
}

}  // namespace
}  // namespace soundlens::test
