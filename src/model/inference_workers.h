#pragma once
// Independent pieces of inference work (batches of inputs, each a few passes)
// run side by side: as many workers as the calling thread's inference threads,
// each running whole pieces with one intra-op thread, the calling thread one
// of them. A small network's operations split poorly over threads (integrated
// gradients of a 10 s window on 2 cores: 1.2x faster op by op, near 2x side by
// side; bench/explain), whole passes split evenly.
#include <functional>

namespace soundlens {

// Calls piece(i) once for each i in [0, pieces), in no set order, on up to
// inference_threads() threads, each piece with one intra-op thread however many
// run (so a piece's result does not depend on the thread count); returns when
// all are done. The first exception
// a piece throws stops the pieces not yet started and is rethrown here. Each
// piece sets its own thread-local state (grad mode). The calling thread's
// inference threads are as before on return.
void for_each_piece_side_by_side(int pieces, const std::function<void(int)>& piece);

}  // namespace soundlens
