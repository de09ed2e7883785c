#pragma once
// Independent pieces of inference work (batches of inputs, each a few passes)
// run side by side: on as many of a pool's threads as the calling thread has
// inference threads, each running whole pieces with one intra-op thread, while
// the caller waits (blocked, not spinning); with one inference thread the
// caller runs them itself. A small network's operations split poorly over
// threads (integrated gradients of a 10 s window on 2 cores: 1.2x faster op by
// op, 1.4x side by side; bench/explain), whole passes split evenly.
#include <functional>

namespace soundlens {

// Calls piece(i) once for each i in [0, pieces), in no set order, on up to
// inference_threads() threads, each piece with one intra-op thread however many
// run (so a piece's result does not depend on the thread count); returns when
// all are done. The first exception a piece throws stops the pieces not yet
// started and is rethrown here. Each piece sets its own thread-local state
// (grad mode). The caller's inference threads are untouched.
void for_each_piece_side_by_side(int pieces, const std::function<void(int)>& piece);

}  // namespace soundlens
