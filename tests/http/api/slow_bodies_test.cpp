// Slow request bodies cannot take the service down (issue 17, item 1): a
// request whose credentials are missing or wrong is refused before its body
// is read; a body slower than the minimum rate is cut with a 408 naming the
// rate; bodies are read without holding the threads that answer others, so
// 200 connections sending a byte a second (with a key and without) leave the
// API's latency as it was; /health says when the server is full.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

#include "raw_client.h"
#include "test_paths.h"
#include "test_server.h"

namespace soundlens::test {
namespace {
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// The head of an upload that announces a megabyte, as the attacker of the issue sends it.
std::string upload_head(const std::string& extra_headers = "", const std::string& target = "/api/v1/analyses") {
  return "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=b\r\n" +
         extra_headers + "Content-Length: 1000000\r\n\r\n";
}

std::string bearer(const std::string& key) { return "Authorization: Bearer " + key + "\r\n"; }

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, std::size_t(p / 100.0 * double(v.size() - 1) + 0.5))];
}

// Connections that each send a head, then a byte a second; one the server
// answers (or closes) is opened again a second later, as the attacker did.
class SlowBodyAttack {
 public:
  SlowBodyAttack(int port, int count, std::string head) : port_(port), head_(std::move(head)) {
    for (int i = 0; i < count; ++i) open_one(i);
    thread_ = std::thread([this] {
      while (!stop_) {
        for (std::size_t i = 0; i < connections_.size() && !stop_; ++i) {
          auto& c = connections_[i];
          if (c && c->readable(0ms)) {
            if (const int status = status_of(c->read_response(50ms)); status != 0) ++answered_;
            c.reset();
          }
          if (!c || !c->send("x")) open_one(i);
        }
        for (int tick = 0; tick < 10 && !stop_; ++tick) std::this_thread::sleep_for(100ms);
      }
    });
  }
  ~SlowBodyAttack() { stop(); }
  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  int answered() const { return answered_; }  // responses the connections got (each then opened again)
  // After stop(): how many of the connections open now hold a response (of any status).
  int answered_now() {
    std::this_thread::sleep_for(500ms);
    int n = 0;
    for (auto& c : connections_) n += c && c->readable(0ms) && status_of(c->read_response(50ms)) != 0;
    return n;
  }

 private:
  void open_one(std::size_t i) {
    if (connections_.size() <= i) connections_.resize(i + 1);
    try {
      connections_[i] = std::make_unique<RawConnection>(port_);
      connections_[i]->send(head_);
    } catch (const std::exception&) {
      connections_[i].reset();
    }
  }
  int port_;
  std::string head_;
  std::vector<std::unique_ptr<RawConnection>> connections_;
  std::atomic<bool> stop_ = false;
  std::atomic<int> answered_ = 0;
  std::thread thread_;
};

TEST(SlowBodies, MissingOrWrongCredentialsAre401BeforeTheBodyIsRead) {
  TestServer server({.auth = auth::AuthMode::required});
  const std::string read_only = server.issue_key("ann", auth::Role::member, auth::Scope::read);
  const std::vector<std::pair<std::string, int>> cases = {
      {"", 401},
      {bearer("sl_nonsense"), 401},
      {"Authorization: Basic YTpi\r\n", 401},
      {"Cookie: soundlens_session=0123456789abcdef\r\n", 401},
      {bearer(read_only), 403},  // a read-only key cannot write: also known from the head
  };
  for (const auto& [headers, status] : cases) {
    for (const std::string target : {"/api/v1/analyses", "/api/v1/batches"}) {
      RawConnection c(server.port());
      ASSERT_TRUE(c.send(upload_head(headers, target)));  // and not one byte of the body
      const auto start = Clock::now();
      const std::string response = c.read_response(5s);
      EXPECT_LT(ms_since(start), 2000) << headers << target;
      EXPECT_EQ(status_of(response), status) << headers << target << "\n" << response;
      EXPECT_EQ(header_of(response, "Connection"), "close");
      if (status == 401) {
        EXPECT_EQ(header_of(response, "WWW-Authenticate").rfind("Bearer", 0), 0u) << response;
      }
      EXPECT_FALSE(message_of(response).empty()) << response;
    }
  }
  // A body for no route at all is not read either.
  RawConnection c(server.port());
  ASSERT_TRUE(c.send(upload_head("", "/api/v1/nothing-here")));
  const std::string response = c.read_response(5s);
  EXPECT_EQ(status_of(response), 404) << response;
  EXPECT_NE(message_of(response).find("POST /api/v1/nothing-here"), std::string::npos) << response;
  // With a valid key the same request goes on: the server waits for its body.
  const std::string key = server.issue_key("bob");
  RawConnection ok(server.port());
  ASSERT_TRUE(ok.send(upload_head(bearer(key))));
  EXPECT_FALSE(ok.readable(1500ms));
}

TEST(SlowBodies, ABodySlowerThanTheMinimumRateIs408NamingTheRate) {
  TestServer server({.min_body_bytes_per_s = 2048, .body_rate_grace_s = 2});
  RawConnection c(server.port());
  ASSERT_TRUE(c.send(upload_head()));
  const auto start = Clock::now();
  while (!c.readable(200ms) && Clock::now() - start < 15s) c.send("x");  // 5 bytes a second
  const double ms = ms_since(start);
  const std::string response = c.read_response(1s);
  EXPECT_EQ(status_of(response), 408) << response;
  EXPECT_NE(message_of(response).find("minimum is 2 KB/s"), std::string::npos) << response;
  EXPECT_NE(message_of(response).find("bytes/s"), std::string::npos) << response;
  EXPECT_GE(ms, 1800);
  EXPECT_LT(ms, 4000);
  // A fast body of the same size is not troubled by it.
  const std::string wav = read_file(shared_audio("example/metro_station-paris.wav"));
  auto client = server.client();
  EXPECT_EQ(upload(client, "/api/v1/analyses", "metro.wav", wav)->status, 201);
}

TEST(SlowBodies, AChunkedBodySlowerThanTheMinimumRateIs408Too) {
  TestServer server({.min_body_bytes_per_s = 2048, .body_rate_grace_s = 2});
  RawConnection c(server.port());
  ASSERT_TRUE(c.send("POST /api/v1/analyses HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; "
                     "boundary=b\r\nTransfer-Encoding: chunked\r\n\r\n"));
  const auto start = Clock::now();
  while (!c.readable(200ms) && Clock::now() - start < 15s) c.send("1\r\nx\r\n");
  const double ms = ms_since(start);
  const std::string response = c.read_response(1s);
  EXPECT_EQ(status_of(response), 408) << response;
  EXPECT_NE(message_of(response).find("minimum is 2 KB/s"), std::string::npos) << response;
  EXPECT_GE(ms, 1800);
  EXPECT_LT(ms, 4000);
}

TEST(SlowBodies, ExpectContinueIsAnsweredOnceAndTheUploadIsServed) {
  TestServer server;
  const std::string wav = read_file(shared_audio("example/metro_station-paris.wav"));
  const std::string body = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"metro.wav\"\r\n"
                           "Content-Type: audio/wav\r\n\r\n" + wav + "\r\n--b--\r\n";
  RawConnection c(server.port());
  ASSERT_TRUE(c.send("POST /api/v1/analyses HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; "
                     "boundary=b\r\nExpect: 100-continue\r\nContent-Length: " + std::to_string(body.size()) +
                     "\r\n\r\n"));
  ASSERT_TRUE(c.readable(2s));
  const std::string go_on = c.read_response(300ms);
  EXPECT_EQ(go_on, "HTTP/1.1 100 Continue\r\n\r\n");
  ASSERT_TRUE(c.send(body));
  const std::string response = c.read_response(30s);
  EXPECT_EQ(status_of(response), 201) << response.substr(0, 400);
}

TEST(SlowBodies, BeyondTheMemoryForBodiesAStreamWorkerReadsTheRest) {
  // 512 KB of memory for bodies: the 1.3 MB upload overflows it and is finished by a stream worker.
  TestServer server({.body_memory_bytes = 512u << 10, .body_streams = 1});
  const std::string wav = read_file(shared_audio("example/metro_station-paris.wav"));
  ASSERT_GT(wav.size(), 1u << 20);
  auto client = server.client();
  EXPECT_EQ(upload(client, "/api/v1/analyses", "metro.wav", wav)->status, 201);
  // The client has its answer a moment before the stream worker is free again.
  const auto streams_busy = [&](int expected) {
    nlohmann::json body;
    for (const auto start = Clock::now(); Clock::now() - start < 5s; std::this_thread::sleep_for(20ms)) {
      body = json_of(client.Get("/health"));
      if (body["server"]["body_streams_busy"] == expected) break;
    }
    return body;
  };
  EXPECT_EQ(streams_busy(0)["server"]["body_streams_busy"], 0);
  // With the one stream worker reading a slow chunked body, /health says so, and another such body is 503.
  RawConnection slow(server.port());
  ASSERT_TRUE(slow.send("POST /api/v1/analyses HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; "
                        "boundary=b\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n"));
  const auto body = streams_busy(1);
  const std::string health_body = body.dump();
  EXPECT_EQ(body["status"], "busy") << health_body;
  EXPECT_EQ(body["server"]["body_streams_busy"], 1) << health_body;
  EXPECT_NE(std::find(body["server"]["full"].begin(), body["server"]["full"].end(), "body_streams"),
            body["server"]["full"].end()) << health_body;
  RawConnection second(server.port());
  ASSERT_TRUE(second.send("POST /api/v1/analyses HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; "
                          "boundary=b\r\nTransfer-Encoding: chunked\r\n\r\n"));
  const std::string refused = second.read_response(3s);

  EXPECT_EQ(status_of(refused), 503) << refused;
  EXPECT_EQ(header_of(refused, "Retry-After"), "1");
}

TEST(SlowBodies, HealthSaysWhenConnectionsAreAtTheirLimit) {
  TestServer server({.max_connections = 8});
  const auto idle = json_of(server.client().Get("/health"));
  EXPECT_EQ(idle["status"], "ok");
  EXPECT_TRUE(idle["server"]["full"].empty()) << idle.dump();
  EXPECT_EQ(idle["server"]["max_connections"], 8);
  std::vector<std::unique_ptr<RawConnection>> busy;
  for (int i = 0; i < 7; ++i) {
    busy.push_back(std::make_unique<RawConnection>(server.port()));
    busy.back()->send("GET /api/v1/analyses HTTP/1.1\r\n");  // a request under way
  }
  std::this_thread::sleep_for(300ms);
  const std::string response = raw_get(server.port(), "/health");
  const auto full = nlohmann::json::parse(body_of(response));
  EXPECT_EQ(full["status"], "busy") << response;
  EXPECT_EQ(full["server"]["connections"], 8) << response;
  EXPECT_EQ(full["server"]["full"], nlohmann::json::array({"connections"})) << response;
  EXPECT_EQ(full["model_loaded"], true);  // the fields it always had are still there
}

// The attack of the issue, ten times wider: 200 connections announce a
// megabyte and send a byte a second, first without a key, then with one,
// while another user lists the history and uploads a 10 s recording.
TEST(SlowBodies, TwoHundredSlowBodiesLeaveTheOthersLatencyAsItWas) {
  // A grace longer than the test: the bodies stay, so this measures that they hold no thread.
  TestServer server({.body_rate_grace_s = 120, .auth = auth::AuthMode::required});
  const std::string user = server.issue_key("ann");
  const std::string attacker = server.issue_key("mallory");
  const std::string wav = read_file(shared_audio("example/metro_station-paris.wav"));
  const auto measure = [&](int rounds) {
    std::vector<double> list, uploads;
    httplib::Client c = server.client();
    c.set_default_headers({{"Authorization", "Bearer " + user}});
    c.set_read_timeout(10, 0);
    for (int i = 0; i < rounds && (list.empty() || list.back() + uploads.back() < 1e9); ++i) {
      auto start = Clock::now();
      httplib::Client fresh = server.client();  // a new connection each time: it must be accepted at once too
      fresh.set_read_timeout(10, 0);
      auto r = fresh.Get("/api/v1/analyses", {{"Authorization", "Bearer " + user}});
      list.push_back(r && r->status == 200 ? ms_since(start) : 1e9);
      start = Clock::now();
      auto u = upload(c, "/api/v1/analyses", "metro.wav", wav, {{"top_k", "1", "", ""}});
      uploads.push_back(u && u->status == 201 ? ms_since(start) : 1e9);
    }
    return std::make_pair(percentile(list, 99), percentile(uploads, 99));
  };
  measure(2);  // warm-up
  const auto [idle_list, idle_upload] = measure(8);
  // The machine is shared with builds: a floor keeps a scheduler hiccup of a few ms from failing
  // the test; before, the API did not answer at all (every worker held by a body).
  const auto bound = [](double idle, double floor) { return std::max(2 * idle, idle + floor); };
  const auto test_start = Clock::now();
  for (const bool with_key : {false, true}) {
    const auto phase_start = Clock::now();
    SlowBodyAttack attack(server.port(), 200, upload_head(with_key ? bearer(attacker) : ""));
    const double opened_ms = ms_since(phase_start);
    std::this_thread::sleep_for(1500ms);
    const auto [list, uploaded] = measure(8);
    auto health = json_of(server.client().Get("/health"));
    if (!health.contains("server")) health["server"] = {{"bodies_in_memory", 0}};  // (a server that cannot say)
    attack.stop();
    const int answered_now = attack.answered_now();
    std::printf("%s key: list p99 %.1f ms (idle %.1f), 10 s upload p99 %.1f ms (idle %.1f); %d answered "
                "(+%d at the end); bodies in memory %zu; opened in %.0f ms, phase %.0f ms, test %.0f ms\n",
                with_key ? "with" : "without", list, idle_list, uploaded, idle_upload, attack.answered(), answered_now,
                health["server"]["bodies_in_memory"].get<std::size_t>(), opened_ms, ms_since(phase_start),
                ms_since(test_start));
    // Floors of 100 ms and 500 ms: ctest runs another test beside this one on 2 cores. Before the
    // fix neither request was answered within 10 s.
    EXPECT_LT(list, bound(idle_list, 100)) << (with_key ? "with" : "without") << " a key";
    EXPECT_LT(uploaded, bound(idle_upload, 500)) << (with_key ? "with" : "without") << " a key";
    EXPECT_EQ(health["status"], "ok") << health.dump();
    if (with_key) {
      EXPECT_GE(health["server"]["bodies_in_memory"].get<int>(), 190) << health.dump();  // read here, not by workers
      EXPECT_EQ(attack.answered() + answered_now, 0);
    } else {
      // Each refused at once (401) and opened again by the attacker; those open now hold their refusal.
      EXPECT_GT(attack.answered(), 0);
      EXPECT_GE(answered_now, 190);
      EXPECT_LT(health["server"]["bodies_in_memory"].get<int>(), 10) << health.dump();
    }
  }
}

}  // namespace
}  // namespace soundlens::test
