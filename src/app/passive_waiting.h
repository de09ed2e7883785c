#pragma once
// Inference threads that sleep while they wait. LibTorch's OpenMP runtime
// (libgomp) makes an idle thread spin for work by default; on a loaded machine
// the spinning threads take the cores the working ones need. Measured: half an
// hour of audio with `--threads 2` at load 7 took 115 s wall and 61 s of CPU
// spinning; with OMP_WAIT_POLICY=passive, 18.6 s and 8.8 s (docs/performance.md).
// libgomp reads its environment once, when it is loaded, before main(): the
// program therefore starts itself again with the policy set, unless the
// environment already says how OpenMP should wait.
namespace soundlens {

// Returns only when no restart was needed or possible (then nothing changed).
void restart_with_passive_waiting(char** argv);

}  // namespace soundlens
