#pragma once
// Privacy stage: the spectrogram a privacy-minded server keeps for the viewer
// (--redact-speech, --store-audio no). The model's log-mel spectrogram (128
// bands every 10 ms on mn04_as) is close to what a neural vocoder needs to
// speak again; the page only draws it as a picture under the explanation's
// map (a few hundred pixels tall, at most 1000 columns across the recording,
// and a map of 0.32 s cells), so it is kept no finer than that: bands averaged
// to at most kViewerBands, frames to at least kViewerSecondsPerColumn.
#include "features/mel_spectrogram.h"

namespace soundlens {

inline constexpr int kViewerBands = 32;
inline constexpr double kViewerSecondsPerColumn = 0.1;

// Adjacent bands and frames averaged (in the log domain, as the page shows
// them) so that there are at most max_bands bands and each frame spans at
// least min_seconds_per_frame; the last band and frame average what is left.
// center_hz: the mean of each group's centres.
MelSpectrogram coarse_spectrogram(const MelSpectrogram& mel, int max_bands = kViewerBands,
                                  double min_seconds_per_frame = kViewerSecondsPerColumn);

}  // namespace soundlens
