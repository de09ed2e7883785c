#include "core/idle_cores.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

namespace soundlens {
namespace {

int cores() { return int(std::max(1u, std::thread::hardware_concurrency())); }

// procs_running of /proc/stat's text, or -1.
int running_of(std::string_view text) {
  constexpr std::string_view key = "\nprocs_running ";
  const auto at = text.find(key);
  if (at == std::string_view::npos) return -1;
  int n = 0;
  bool digits = false;
  for (std::size_t i = at + key.size(); i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    n = std::min(1000000, n * 10 + (text[i] - '0'));
    digits = true;
  }
  return digits ? n : -1;
}

}  // namespace

int idle_cores_of(std::string_view proc_stat, int machine_cores) {
  const int running = running_of(proc_stat);
  if (running < 0) return machine_cores;
  const int others = std::max(0, running - 1);  // the thread reading it is running
  return std::clamp(machine_cores - others, 1, machine_cores);
}

int idle_cores() {
  const int n = cores();
  if (n == 1) return 1;
  int most = 0;
  constexpr int kSamples = 5;
  for (int i = 0; i < kSamples; ++i) {
    if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::ifstream in("/proc/stat");
    if (!in) return n;
    std::ostringstream text;
    text << in.rdbuf();
    most = std::max(most, idle_cores_of(text.str(), n));  // the least busy moment: a burst is not a load
  }
  return most;
}

}  // namespace soundlens
