#pragma once
// Hear what the model used: the map as a soft mask on the STFT of the
// recording, original phase, turned back into sound.
#include <span>
#include <vector>

#include "explain/cam_map.h"
#include "explain/map_checks.h"
#include "features/mel_spectrogram.h"

namespace soundlens {


// The mask over a listening STFT (1024 points, hop 256, at the front end's
// rate): frames x bins, frame-major. Each linear bin takes the map's rows
// weighted by how much of the bin each row's mel filters hold (the
// filterbank normalised per bin); bins no filter touches take the nearest
// bin's weights, so a map of ones gives a mask of ones. A frame takes the
// column of the front-end frame nearest its centre.
std::vector<float> listening_mask(const CamMap& map, const FrontEnd& frontend, int stft_frames, int stft_hop);

// samples: the recording at frontend.sample_rate(), the map over its whole
// length. Errors: bad_request when the map does not fit the front end, or the
// front end has no mel filterbank to project through; empty_audio for no samples.
ListenAudio listen(std::span<const float> samples, const CamMap& map, const FrontEnd& frontend);

}  // namespace soundlens
