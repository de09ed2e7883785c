#pragma once
// The real `soundlens serve` as a child process on an OS-chosen port, for
// tests and the load benchmark. Header-only so that the benchmark can use it
// without the test support library. The child is killed and reaped whatever
// happens, also when starting it fails half-way (no stray servers left).
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace soundlens::test {

class ServeChild {
 public:
  // Runs `binary serve --port 0 ARGS...` and waits until /health answers 200.
  ServeChild(const std::string& binary, const std::vector<std::string>& args,
             std::chrono::milliseconds health_timeout = std::chrono::seconds(30)) {
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("pipe");
    pid_ = ::fork();
    if (pid_ < 0) {
      ::close(out[0]);
      ::close(out[1]);
      throw std::runtime_error("fork");
    }
    if (pid_ == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      ::close(out[0]);
      ::close(out[1]);
      std::vector<std::string> all{binary, "serve", "--port", "0"};
      all.insert(all.end(), args.begin(), args.end());
      std::vector<char*> argv;
      for (auto& a : all) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    try {
      read_port(out[0]);
      wait_until_healthy(health_timeout);
    } catch (...) {
      kill_and_reap(SIGKILL);
      throw;
    }
  }
  ~ServeChild() { kill_and_reap(SIGKILL); }
  ServeChild(const ServeChild&) = delete;
  ServeChild& operator=(const ServeChild&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // The line the server printed on start ("soundlens ...: serving http://HOST:PORT (...)").
  const std::string& banner() const { return banner_; }
  httplib::Client client(int read_timeout_s = 60) const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(read_timeout_s, 0);
    return c;
  }
  // Sends the signal and returns the wait status once the child has exited.
  int signal_and_wait(int signal) { return kill_and_reap(signal); }

 private:
  // The first line names the chosen port: "... serving http://127.0.0.1:PORT (...".
  void read_port(int fd) {
    FILE* stream = ::fdopen(fd, "r");
    if (stream == nullptr) {
      ::close(fd);
      throw std::runtime_error("fdopen");
    }
    char line[512] = {};
    const bool got = std::fgets(line, sizeof line, stream) != nullptr;
    std::fclose(stream);
    if (!got) throw std::runtime_error("serve printed nothing");
    banner_ = line;
    const auto scheme = banner_.find("http://");
    const auto colon = scheme == std::string::npos ? scheme : banner_.find(':', scheme + 7);
    if (colon == std::string::npos) throw std::runtime_error("serve printed no address: " + banner_);
    port_ = std::stoi(banner_.substr(colon + 1));
  }

  void wait_until_healthy(std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (auto res = client().Get("/health"); res && res->status == 200) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    throw std::runtime_error("serve did not become healthy");
  }

  int kill_and_reap(int signal) {
    int status = 0;
    if (pid_ > 0) {
      ::kill(pid_, signal);
      ::waitpid(pid_, &status, 0);
      pid_ = -1;
    }
    return status;
  }

  pid_t pid_ = -1;
  int port_ = 0;
  std::string banner_;
};

}  // namespace soundlens::test
