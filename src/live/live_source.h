#pragma once
// Where live audio comes from: raw PCM on a file descriptor (standard input),
// a file decoded and paced at `pace` times real time, or a capture device
// (alsa:NAME, pulse:NAME, through FFmpeg's libavdevice: audio/capture.h).
#include <atomic>
#include <functional>
#include <string>

#include "live/sample_queue.h"

namespace soundlens {

struct SourceSpec {
  std::string input = "-";   // "-": standard input; alsa:NAME, pulse:NAME: a device; else a file
  std::string format = "s16le";
  long rate = 32000;
  long channels = 1;
  double pace = 1;           // files: times real time; 0: as fast as the analysis takes them
  int fd = 0;                // the descriptor read for "-"
};

// Reads the source into the queue until its end, `stop` or an error, then
// closes the queue (with the error, if one). Runs in the reader thread.
using LiveSource = std::function<void(SampleQueue& queue, const std::atomic<bool>& stop)>;

// Checks what can be checked before anything starts: the PCM options, that the
// file exists, that a device can be opened. Errors (bad_request) name the option.
LiveSource open_source(const SourceSpec& spec);

// Whether the source delivers at its own pace (stdin, devices, paced files):
// then a late analysis drops windows; otherwise the source waits for it.
bool source_is_real_time(const SourceSpec& spec);

}  // namespace soundlens
