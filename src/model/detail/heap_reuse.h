#pragma once
// Internal: how the process's heap treats the MBs each inference frees.

namespace soundlens::detail {

// Once per process: freed blocks up to 32 MB stay in the heap, and up to
// 128 MB of free heap is kept rather than given back to the system. Every
// forward pass allocates and frees tens of MB of activations; by default
// glibc returns them and faults the pages in again on the next pass, and on
// this machine (a paravirtualised VM) those page faults cost more than the
// arithmetic (bench/yamnet under load: YAMNet's analysis fell from ~140 to
// ~60 ms CPU, page faults from 85,000 to 27,000 per run). Results are unchanged.
// The price: up to 128 MB of freed memory per heap arena stays mapped.
void keep_freed_memory_for_reuse();

}  // namespace soundlens::detail
