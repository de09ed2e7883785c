#pragma once
// Listening that answers "what did the model use?": the kept audio is the
// smallest part of the map's ranking (cells from the most relevant down)
// whose audio alone keeps the class at keep_fraction of its clip
// probability; the removed audio is everything else.
#include <span>
#include <string>
#include <vector>

#include "core/cancel_token.h"
#include "explain/cam_map.h"
#include "explain/listen.h"
#include "explain/map_checks.h"
#include "model/model.h"

namespace soundlens {

struct ListenSearchOptions {
  double keep_fraction = kListenKeepFraction;  // of the clip probability, in (0, 1]
  int window_frames = 1001, hop_frames = 500;  // the analysis' windows, in frames (as faithfulness)
  const CancelToken* cancel = nullptr;         // checked per batch of passes
  // > 0: once the first passes are timed, a search that would take longer is refused with
  // Error(too_long) naming limit_name.
  double time_limit_s = 0;
  std::string limit_name = "the analysis time limit";
};


// samples: the recording at 32 kHz, the map over its whole length. Each probe
// (a number of cells from the top of the ranking) is heard as listening hears
// it: the cells' mask on one STFT of the recording, inverse STFT, the front
// end, the model; one probe at a time climbs a ladder of shares (1/16 to 3/4)
// to the first part that keeps the class, then halves the bracket. Errors: as listen() and faithfulness(); too_long as above; the token's.
ListenResult listen_search(const Model& model, std::span<const float> samples, const CamMap& map,
                           const ListenSearchOptions& options = {});

// The most forward passes of each window listen_search() runs (for cost estimates).
inline constexpr int kListenSearchMaxPasses = 8;  // the recording, 6 parts probed, the removed audio

// The audio under a set of the map's cells (kept[row * cols + col] != 0) as a
// hard mask at the cells' resolution: each linear bin takes its rows' shares
// of the mel filters, each STFT frame its column's (overlap-add crossfades the
// edges over one window, 32 ms, so cell edges do not click).
ListenAudio listen_cells(std::span<const float> samples, const CamMap& map, const std::vector<char>& kept,
                         const FrontEnd& frontend);

}  // namespace soundlens
