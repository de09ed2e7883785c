// The program runs with OpenMP threads that sleep while they wait
// (app/passive_waiting.h): started without a policy, it restarts itself with
// OMP_WAIT_POLICY=passive; a policy the user gave is kept.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>

#include "test_paths.h"

namespace {

// The environment the running process `pid` has now.
std::string environment_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/environ", std::ios::binary);
  std::string env((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (auto& c : env)
    if (c == '\0') c = '\n';
  return "\n" + env;
}

// Starts `soundlens live -` (it waits for PCM on its standard input) with OMP_WAIT_POLICY as given
// (nullptr: unset), returns whether its environment came to hold `wanted`, then ends it.
bool comes_to_hold(const char* policy, const std::string& wanted) {
  int in[2];
  if (pipe(in) != 0) return false;
  const std::string binary = soundlens::test::soundlens_binary();
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], 0);
    close(in[1]);
    unsetenv("GOMP_SPINCOUNT");
    if (policy) setenv("OMP_WAIT_POLICY", policy, 1);
    else unsetenv("OMP_WAIT_POLICY");
    execl(binary.c_str(), binary.c_str(), "live", "-", "--format", "s16le", "--rate", "32000", "--json",
          "--model-dir", soundlens::test::models_dir().c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(in[0]);
  bool held = false;
  for (int i = 0; i < 200 && !held; ++i) {
    held = environment_of(pid).find("\n" + wanted + "\n") != std::string::npos;
    if (!held) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  close(in[1]);  // end of input: the session ends
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  return held;
}

TEST(PassiveWaiting, TheProgramRestartsItselfWithSleepingOpenMpThreads) {
  EXPECT_TRUE(comes_to_hold(nullptr, "OMP_WAIT_POLICY=passive"));
}

TEST(PassiveWaiting, APolicyTheUserGaveIsKept) {
  EXPECT_TRUE(comes_to_hold("active", "OMP_WAIT_POLICY=active"));
}

}  // namespace
