// Load benchmark: starts the real `soundlens serve` on loopback (OS-chosen
// port, temporary data dir) and uploads the 10 s example file with real HTTP
// clients. Reports 1-client p50, 4-client throughput and p99, and the
// server's RSS over a long run (each analysis deleted again to bound disk).
// Every loop is bounded in count and time; nothing leaves this machine.
// With --slow-bodies N, the 1-client phase (uploads and history lists) runs
// again while N connections each announce a 1,000,000-byte upload and send a
// byte a second (issue 17), to compare with the idle figures.
//
// usage: http_load_bench [--requests N (memory phase, default 1000)] [--max-seconds S (default 300)]
//                        [--slow-bodies N (default 0)] [-- extra serve flags...]
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "serve_child.h"

namespace {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// The temporary data directory, removed however the run ends.
struct TempDir {
  fs::path path;
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

long rss_kb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, std::size_t(p / 100.0 * double(v.size() - 1) + 0.5))];
}

// One upload; returns milliseconds, or -1 on failure. Deletes it again when asked.
double upload_once(httplib::Client& c, const std::string& wav, bool delete_after) {
  const auto t0 = Clock::now();
  auto res = c.Post("/api/v1/analyses", httplib::MultipartFormDataItems{{"file", wav, "metro.wav", "audio/wav"}});
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  if (!res || res->status != 201) return -1;
  if (delete_after) c.Delete(("/api/v1/analyses/" + nlohmann::json::parse(res->body)["id"].get<std::string>()).c_str());
  return ms;
}

struct PhaseResult {
  std::vector<double> ms;
  int failures = 0;
  double seconds = 0;
};

PhaseResult run_phase(int port, const std::string& wav, int clients, int per_client, bool delete_after,
                      double max_seconds) {
  PhaseResult result;
  std::mutex mutex;
  const auto t0 = Clock::now();
  const auto deadline = t0 + std::chrono::duration<double>(max_seconds);
  std::vector<std::thread> threads;
  for (int t = 0; t < clients; ++t)
    threads.emplace_back([&] {
      httplib::Client c("127.0.0.1", port);
      c.set_read_timeout(120, 0);
      for (int i = 0; i < per_client && Clock::now() < deadline; ++i) {
        const double ms = upload_once(c, wav, delete_after);
        std::lock_guard lock(mutex);
        if (ms < 0) ++result.failures;
        else result.ms.push_back(ms);
      }
    });
  for (auto& t : threads) t.join();
  result.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return result;
}

// One client listing the history `count` times; milliseconds each.
std::vector<double> list_times(int port, int count) {
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(30, 0);
  std::vector<double> ms;
  for (int i = 0; i < count; ++i) {
    const auto t0 = Clock::now();
    auto res = c.Get("/api/v1/analyses?limit=20");
    ms.push_back(res && res->status == 200 ? std::chrono::duration<double, std::milli>(Clock::now() - t0).count()
                                           : 1e9);
  }
  return ms;
}

// `count` connections that announce a megabyte and then send one byte a second each, until destroyed.
class SlowBodies {
 public:
  SlowBodies(int port, int count) {
    const std::string head = "POST /api/v1/analyses HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                             "multipart/form-data; boundary=b\r\nContent-Length: 1000000\r\n\r\n";
    for (int i = 0; i < count; ++i) {
      const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_port = htons(std::uint16_t(port));
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
        throw std::runtime_error("cannot open slow connection " + std::to_string(i));
      ::send(fd, head.data(), head.size(), MSG_NOSIGNAL);
      fds_.push_back(fd);
    }
    thread_ = std::thread([this] {
      while (!stop_) {
        for (int fd : fds_) ::send(fd, "x", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
        for (int tick = 0; tick < 10 && !stop_; ++tick) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    });
  }
  ~SlowBodies() {
    stop_ = true;
    thread_.join();
    for (int fd : fds_) ::close(fd);
  }

 private:
  std::vector<int> fds_;
  std::atomic<bool> stop_ = false;
  std::thread thread_;
};

void report_list(const char* name, const std::vector<double>& ms) {
  std::printf("%-10s GET /api/v1/analyses n=%zu  p50=%.1f ms  p99=%.1f ms\n", name, ms.size(), percentile(ms, 50),
              percentile(ms, 99));
}

void report(const char* name, const PhaseResult& r) {
  std::printf("%-10s n=%zu failures=%d  p50=%.1f ms  p99=%.1f ms  throughput=%.1f analyses/s\n", name, r.ms.size(),
              r.failures, percentile(r.ms, 50), percentile(r.ms, 99), double(r.ms.size()) / r.seconds);
}

}  // namespace

int main(int argc, char** argv) {
  int memory_requests = 1000;
  double max_seconds = 300;
  int slow_bodies = 0;
  std::vector<std::string> extra;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--requests" && i + 1 < argc) memory_requests = std::stoi(argv[++i]);
    else if (a == "--max-seconds" && i + 1 < argc) max_seconds = std::stod(argv[++i]);
    else if (a == "--slow-bodies" && i + 1 < argc) slow_bodies = std::stoi(argv[++i]);
    else if (a == "--") extra.assign(argv + i + 1, argv + argc), i = argc;
    else {
      std::cerr << "usage: http_load_bench [--requests N] [--max-seconds S] [--slow-bodies N] [-- serve flags]\n";
      return 2;
    }
  }
  try {
    std::ifstream in(SOUNDLENS_EXAMPLE_WAV, std::ios::binary);
    const std::string wav{std::istreambuf_iterator<char>(in), {}};
    const TempDir dir{fs::temp_directory_path() / ("soundlens-bench-" + std::to_string(::getpid()))};
    std::vector<std::string> args{"--data-dir", dir.path.string(), "--model-dir", SOUNDLENS_MODELS_DIR,
                                  "--log-format", "off"};
    args.insert(args.end(), extra.begin(), extra.end());
    soundlens::test::ServeChild server(SOUNDLENS_BINARY, args);  // killed and reaped on any failure
    std::cout << "server: " << server.banner();

    run_phase(server.port(), wav, 1, 5, true, 60);  // warm-up
    report("1 client", run_phase(server.port(), wav, 1, 50, true, max_seconds));
    if (slow_bodies > 0) {
      report_list("idle", list_times(server.port(), 100));
      SlowBodies attack(server.port(), slow_bodies);
      std::this_thread::sleep_for(std::chrono::seconds(2));
      const std::string name = std::to_string(slow_bodies) + " slow";
      report(name.c_str(), run_phase(server.port(), wav, 1, 50, true, std::min(max_seconds, 60.0)));
      report_list(name.c_str(), list_times(server.port(), 100));
    }
    report("4 clients", run_phase(server.port(), wav, 4, 50, true, max_seconds));

    const long rss_start = rss_kb(server.pid());
    std::printf("memory: RSS %ld MB after warm-up\n", rss_start / 1024);
    const int step = std::max(1, memory_requests / 10);
    int done = 0;
    const auto deadline = Clock::now() + std::chrono::duration<double>(max_seconds);
    while (done < memory_requests && Clock::now() < deadline) {
      const int per_client = std::max(1, step / 4);
      const auto r = run_phase(server.port(), wav, 4, per_client, true, max_seconds);
      done += int(r.ms.size()) + r.failures;
      std::printf("memory: after %d more requests RSS %ld MB\n", done, rss_kb(server.pid()) / 1024);
      std::fflush(stdout);
    }
    server.signal_and_wait(SIGTERM);
  } catch (const std::exception& e) {
    std::cerr << "http_load_bench: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
