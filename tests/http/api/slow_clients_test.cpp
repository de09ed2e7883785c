// Slow and idle clients cannot take the service down: request heads are
// awaited without a worker, every request has one deadline for its head and
// body, and /health answers at once while analyses fill every slot.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
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

double health_ms(int port) {
  httplib::Client c("127.0.0.1", port);
  c.set_connection_timeout(5, 0);
  c.set_read_timeout(5, 0);
  const auto start = Clock::now();
  auto res = c.Get("/health");
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  return res && res->status == 200 ? ms : 1e9;
}

TEST(SlowClients, ThirtySlowLorisConnectionsDoNotStopHealth) {
  TestServer server;  // 18 request workers: fewer than the attackers
  std::vector<std::unique_ptr<RawConnection>> loris;
  for (int i = 0; i < 30; ++i) loris.push_back(std::make_unique<RawConnection>(server.port()));
  const std::string head = "GET /api/v1/analyses HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
  std::vector<double> latencies;
  const auto start = Clock::now();
  for (std::size_t byte = 0; Clock::now() - start < 6s; ++byte) {
    for (auto& c : loris) c->send(std::string(1, head[std::min(byte, head.size() - 1)]));  // one byte each
    for (int probe = 0; probe < 4; ++probe) {
      latencies.push_back(health_ms(server.port()));
      std::this_thread::sleep_for(500ms);
    }
  }
  std::sort(latencies.begin(), latencies.end());
  ASSERT_GE(latencies.size(), 8u);
  // Before, every probe waited for a worker until it timed out (5 s); the tail allows for a shared, loaded machine.
  EXPECT_LT(latencies.back(), 3000) << "slowest /health while 30 clients trickled their heads";
  EXPECT_LT(latencies[latencies.size() / 2], 50) << "median /health";
}

TEST(SlowClients, AHeadThatTricklesIsCutOffAtTheHeaderDeadline) {
  TestServer server({.header_timeout_s = 2});
  RawConnection c(server.port());
  const std::string head = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  const auto start = Clock::now();
  std::size_t i = 0;
  // A byte every 300 ms would keep a per-read timeout happy for ever.
  while (!c.readable(300ms) && Clock::now() - start < 10s) c.send(std::string(1, head[i++ % head.size()]));
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  const std::string response = c.read_response(1s);
  EXPECT_EQ(status_of(response), 408) << response;
  EXPECT_GE(ms, 1900);
  EXPECT_LT(ms, 3500);
  EXPECT_TRUE(c.closed_by_server(2s));
}

TEST(SlowClients, ABodyThatTricklesIsCutOffAtTheRequestDeadline) {
  TestServer server({.request_timeout_s = 3});
  RawConnection c(server.port());
  c.send("POST /api/v1/analyses HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=b\r\n"
         "Content-Length: 100000\r\n\r\n");
  const auto start = Clock::now();
  while (!c.readable(250ms) && Clock::now() - start < 15s) c.send("x");
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  const std::string response = c.read_response(1s);
  EXPECT_EQ(status_of(response), 408) << response;
  EXPECT_GE(ms, 2500);
  EXPECT_LT(ms, 5000);
}

TEST(SlowClients, IdleKeepAliveConnectionsHoldNoWorkerAndAreClosed) {
  TestServer server({.keep_alive_timeout_s = 2});
  // 40 connections that made one request and then stay open: more than the workers.
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < 40; ++i) {
    idle.push_back(std::make_unique<RawConnection>(server.port()));
    idle.back()->send("GET /openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    EXPECT_EQ(status_of(idle.back()->read_response(5s)), 200);
  }
  auto c = server.client();
  const auto start = Clock::now();
  EXPECT_EQ(c.Get("/api/v1/analyses")->status, 200);  // not a probe: it needs one of the busy workers
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  EXPECT_LT(ms, 500);
  // A connection kept alive can carry a second request.
  idle[0]->send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  EXPECT_EQ(status_of(idle[0]->read_response(5s)), 200);
  // After the keep-alive timeout the server closes them.
  EXPECT_TRUE(idle[1]->closed_by_server(4s));
}

TEST(SlowClients, AtTheConnectionCapIdleConnectionsMakeRoomAndThenNewOnesAre503) {
  TestServer server({.max_connections = 8});
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < 8; ++i) {
    idle.push_back(std::make_unique<RawConnection>(server.port()));
    idle.back()->send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    EXPECT_EQ(status_of(idle.back()->read_response(5s)), 200);
  }
  EXPECT_EQ(status_of(raw_get(server.port(), "/health")), 200);  // one idle connection was closed for it
  int closed = 0;
  for (const auto start = Clock::now(); closed == 0 && Clock::now() - start < 2s;)
    for (auto& c : idle) closed += c->closed_by_server(10ms);
  EXPECT_EQ(closed, 1);
  // Connections in the middle of a request are not dropped for newcomers.
  std::vector<std::unique_ptr<RawConnection>> busy;
  for (int i = 0; i < 8; ++i) {
    busy.push_back(std::make_unique<RawConnection>(server.port()));
    busy.back()->send("GET /health HTTP/1.1\r\n");
    std::this_thread::sleep_for(20ms);
  }
  const std::string refused = raw_get(server.port(), "/health");
  EXPECT_EQ(status_of(refused), 503) << refused;
  EXPECT_EQ(header_of(refused, "Retry-After"), "1");
  busy[7]->send("Host: 127.0.0.1\r\n\r\n");
  EXPECT_EQ(status_of(busy[7]->read_response(5s)), 200);
}

TEST(SlowClients, HealthAnswersAtOnceWhileAnalysesFillEverySlot) {
  TestServer server({.max_concurrent = 2, .queue_size = 8});
  const std::string wav = read_file(shared_audio("example/metro_station-paris.wav"));
  std::atomic<bool> stop = false;
  std::atomic<int> analysed = 0, refused = 0;
  std::vector<std::thread> load;
  for (int i = 0; i < 12; ++i)
    load.emplace_back([&] {
      auto c = server.client();
      while (!stop) {
        auto res = upload(c, "/api/v1/analyses", "metro.wav", wav, {{"top_k", "1", "", ""}});
        if (res && res->status == 201) ++analysed;
        else if (res && res->status == 503) ++refused, std::this_thread::sleep_for(20ms);
      }
    });
  // And keep-alive connections that ask for something now and then (each used to hold a worker for good).
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < 24; ++i) idle.push_back(std::make_unique<RawConnection>(server.port()));
  const auto poke = [&] {
    for (auto& c : idle) c->send("GET /api/v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  };
  poke();
  std::this_thread::sleep_for(500ms);
  std::vector<double> latencies;
  for (int i = 0; i < 20; ++i) {
    if (i % 5 == 0) poke();
    latencies.push_back(health_ms(server.port()));
    std::this_thread::sleep_for(100ms);
  }
  stop = true;
  for (auto& t : load) t.join();
  std::sort(latencies.begin(), latencies.end());
  EXPECT_GT(analysed.load(), 4);
  EXPECT_LT(latencies[latencies.size() / 2], 50) << "median /health under load";
  // The machine is shared: allow for the scheduler at the tail, not in the middle.
  EXPECT_LT(latencies[latencies.size() * 9 / 10], 150) << "90th percentile /health under load";
  std::cout << "health under load: median " << latencies[latencies.size() / 2] << " ms, max " << latencies.back()
            << " ms (" << analysed << " analysed, " << refused << " refused)\n";
}

}  // namespace
}  // namespace soundlens::test
