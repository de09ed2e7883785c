#pragma once
// `soundlens worker ARGS...` as a child of a test: started, and ready once it
// prints its "worker running" line; killed and reaped whatever happens.
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "test_paths.h"

namespace soundlens::test {

// `soundlens worker ...` as a child; killed and reaped whatever happens.
class WorkerChild {
 public:
  WorkerChild(const std::vector<std::string>& args) {
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("pipe");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlives the test, even if it crashes
      ::dup2(out[1], STDOUT_FILENO);
      ::close(out[0]);
      ::close(out[1]);
      std::vector<std::string> all{soundlens_binary(), "worker"};
      all.insert(all.end(), args.begin(), args.end());
      std::vector<char*> argv;
      for (auto& a : all) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    // It prints its line once the model is loaded and its threads run.
    FILE* stream = ::fdopen(out[0], "r");
    char line[512] = {};
    const bool got = stream && std::fgets(line, sizeof line, stream) != nullptr;
    if (stream) std::fclose(stream);
    if (!got || std::string(line).find("worker running") == std::string::npos) {
      kill(SIGKILL);
      throw std::runtime_error("the worker did not start: " + std::string(line));
    }
  }
  ~WorkerChild() { kill(SIGKILL); }
  pid_t pid() const { return pid_; }
  void kill(int signal) {
    if (pid_ > 0) {
      ::kill(pid_, signal);
      ::waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }

 private:
  pid_t pid_ = -1;
};

}  // namespace soundlens::test
