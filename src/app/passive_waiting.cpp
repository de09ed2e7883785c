#include "app/passive_waiting.h"

#include <unistd.h>

#include <cstdlib>

namespace soundlens {

void restart_with_passive_waiting(char** argv) {
  if (std::getenv("OMP_WAIT_POLICY") != nullptr || std::getenv("GOMP_SPINCOUNT") != nullptr) return;
  if (setenv("OMP_WAIT_POLICY", "passive", 1) != 0) return;
  execv("/proc/self/exe", argv);  // returns only on failure: go on as we are
  unsetenv("OMP_WAIT_POLICY");
}

}  // namespace soundlens
