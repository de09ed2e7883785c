#pragma once
// How many of the machine's cores are not busy with other work now: the cores
// less the other runnable threads (/proc/stat procs_running, sampled a few
// times over some 40 ms, less this process's own), at least 1. An analysis
// that asks for "all cores" takes this many: two intra-op threads on a core
// shared with other work wait for each other whenever one is descheduled
// (measured: an hour at load 7 took 105 s with two threads).
// Where /proc/stat cannot be read: every core.
#include <string_view>

namespace soundlens {

int idle_cores();
// The same from /proc/stat's text (one sample), for tests; `cores` the machine's.
int idle_cores_of(std::string_view proc_stat, int cores);

}  // namespace soundlens
