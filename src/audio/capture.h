#pragma once
// Capture devices through FFmpeg's input devices (libavdevice): ALSA and
// PulseAudio on Linux, named as `soundlens live --input` names them
// (alsa:NAME, pulse:NAME). Captured audio is decoded as a file is (channels
// averaged, resampled to the target rate by the same code) and handed to a
// sink in blocks while it arrives.
#include <atomic>
#include <string>

#include "audio/audio.h"

namespace soundlens {

struct CaptureDevice {
  std::string kind;  // "alsa" or "pulse"
  std::string name;  // the device (ALSA) or source (PulseAudio): "default", "hw:0,0", "x.monitor"
};

// Whether an input names a device (kind:NAME, any kind): the caller then parses it.
bool names_capture_device(const std::string& input);
// "alsa:NAME" or "pulse:NAME". Error(bad_request) for another kind, an empty name, or a name that is not
// 1 to 128 letters, digits and . _ : , = @ - (device names have no spaces, quotes, slashes or braces:
// an ALSA plug-in definition or a path is not taken).
CaptureDevice parse_capture_device(const std::string& input);

// Opens the device and closes it: Error(bad_request) naming it, with FFmpeg's reason, when it cannot be
// opened (it does not exist, is busy, or its server is not running).
void check_capture_device(const CaptureDevice& device);

// Captures until `stop` (checked with every block and while waiting for one), the device's end or an
// error: blocks of target_rate mono samples to `sink`. options.max_duration_s bounds it as for files.
AudioSource capture_device_stream(const CaptureDevice& device, const SampleSink& sink, const std::atomic<bool>& stop,
                                  const DecodeOptions& options);

}  // namespace soundlens
