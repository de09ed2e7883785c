// The cores an analysis asking for "all" takes: the machine's less the other
// runnable threads, at least one; every core when /proc/stat says nothing usable.
#include <gtest/gtest.h>

#include <thread>

#include "core/idle_cores.h"

namespace soundlens {
namespace {

TEST(IdleCores, TheCoresLessTheOtherRunnableThreads) {
  const char* idle = "cpu  1 2 3\nctxt 5\nprocs_running 1\nprocs_blocked 0\n";  // only the reader
  EXPECT_EQ(idle_cores_of(idle, 2), 2);
  EXPECT_EQ(idle_cores_of("cpu 1\nprocs_running 2\n", 2), 1);
  EXPECT_EQ(idle_cores_of("cpu 1\nprocs_running 2\n", 8), 7);
  EXPECT_EQ(idle_cores_of("cpu 1\nprocs_running 7\n", 2), 1);  // six busy others: one thread, never 0
  EXPECT_EQ(idle_cores_of("cpu 1\nprocs_running 0\n", 4), 4);
}

TEST(IdleCores, UnreadableOrHostileTextMeansEveryCore) {
  EXPECT_EQ(idle_cores_of("", 4), 4);
  EXPECT_EQ(idle_cores_of("procs_running 3\n", 4), 4);  // not after a newline: not the field
  EXPECT_EQ(idle_cores_of("cpu\nprocs_running \n", 4), 4);
  EXPECT_EQ(idle_cores_of("cpu\nprocs_running -5\n", 4), 4);
  EXPECT_EQ(idle_cores_of("cpu\nprocs_running 99999999999999999999\n", 4), 1);  // huge: capped, not overflowed
}

TEST(IdleCores, OnThisMachineAtLeastOneAndAtMostEveryCore) {
  const int n = idle_cores();
  EXPECT_GE(n, 1);
  EXPECT_LE(n, int(std::max(1u, std::thread::hardware_concurrency())));
}

}  // namespace
}  // namespace soundlens
