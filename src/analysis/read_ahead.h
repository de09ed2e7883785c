#pragma once
// A reader that decodes on a thread of its own while its sink works: the
// blocks go through a bounded queue, so decoding (about 1.8 s of an hour)
// leaves the analysing thread. What the sink sees is what the reader gives,
// block for block; an error of either side ends both and is thrown to the
// caller (the reader's after the blocks before it were handed on).
#include <cstddef>

#include "analysis/analysis.h"

namespace soundlens {

// At most `queued_samples` samples wait between the two threads.
SampleReader read_ahead(SampleReader reader, std::size_t queued_samples = std::size_t(1) << 18);

}  // namespace soundlens
