#pragma once
// --store-audio no: what the viewer needs of a recording is computed while
// the audio is still in memory and kept in the analysis's cache, under the
// keys the media routes read (so they serve it without the audio): the
// overview spectrogram (JSON and PNG) and each explained class's figure.
// Everything else that needs the audio answers 410 (require_stored_audio).
#include <string>
#include <utility>
#include <vector>

#include "analysis/analysis.h"

namespace soundlens::service {

// (cache key, bytes) pairs.
using ViewerCache = std::vector<std::pair<std::string, std::string>>;

ViewerCache viewer_cache(const Analyzer& analyzer, const Audio& audio, const Analysis& analysis);

}  // namespace soundlens::service
