// Capture through libavdevice: the device opened with FFmpeg's input device
// of its kind, then decoded by the stream decoder as any opened input.
#include "audio/capture.h"

extern "C" {
#include <libavdevice/avdevice.h>
}

#include <mutex>

#include "audio/ffmpeg_handles.h"
#include "audio/input_policy.h"
#include "audio/stream_decoder.h"
#include "core/error.h"

namespace soundlens {
namespace {

using namespace audio_detail;

struct Stopped {};  // thrown from the sink when asked to stop

int stop_requested(void* flag) { return static_cast<const std::atomic<bool>*>(flag)->load() ? 1 : 0; }

std::string origin_of(const CaptureDevice& device) { return "--input " + device.kind + ":" + device.name; }

FormatPtr open_device(const CaptureDevice& device, const std::atomic<bool>* stop) {
  static std::once_flag registered;
  std::call_once(registered, [] { avdevice_register_all(); });
  install_ffmpeg_log_capture();
  clear_last_ffmpeg_log();
  const AVInputFormat* format = av_find_input_format(device.kind.c_str());
  if (!format)
    throw Error(ErrorCode::bad_request, origin_of(device) + ": this FFmpeg has no " + device.kind + " input device");
  AVFormatContext* raw = avformat_alloc_context();
  if (!raw) throw std::bad_alloc();
  if (stop) raw->interrupt_callback = {stop_requested, const_cast<std::atomic<bool>*>(stop)};
  // Only the device: no protocol is opened on the name's behalf.
  AVDictionary* open = nullptr;
  av_dict_set(&open, "protocol_whitelist", "", 0);
  const int err = avformat_open_input(&raw, device.name.c_str(), format, &open);  // frees `raw` on failure
  av_dict_free(&open);
  if (err < 0) {
    const std::string said = last_ffmpeg_log();
    throw Error(ErrorCode::bad_request, origin_of(device) + ": the capture device cannot be opened (" +
                                            av_error_text(err) + (said.empty() ? "" : ": " + said) +
                                            "); it may not exist, be busy, or its sound server may not be running");
  }
  return FormatPtr(raw);
}

}  // namespace

bool names_capture_device(const std::string& input) {
  const auto colon = input.find(':');
  if (colon == std::string::npos || colon == 0) return false;
  const std::string kind = input.substr(0, colon);
  return kind == "alsa" || kind == "pulse" || kind == "device" || kind == "oss" || kind == "jack" ||
         kind == "lavfi" || kind == "v4l2" || kind == "x11grab";
}

CaptureDevice parse_capture_device(const std::string& input) {
  const auto colon = input.find(':');
  const std::string kind = colon == std::string::npos ? input : input.substr(0, colon);
  if (kind != "alsa" && kind != "pulse")
    throw Error(ErrorCode::bad_request, "--input " + quoted_value(input.substr(0, 200)) +
                                            ": capture devices are alsa:NAME or pulse:NAME");
  CaptureDevice device{kind, input.substr(colon + 1)};
  bool plain = !device.name.empty() && device.name.size() <= 128;
  for (const char c : device.name)
    plain = plain && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      std::string_view("._:,=@-").find(c) != std::string_view::npos);
  if (!plain)
    throw Error(ErrorCode::bad_request, "--input " + quoted_value(input.substr(0, 200)) + ": a " + kind +
                                            " device name is 1 to 128 letters, digits and . _ : , = @ - "
                                            "(e.g. " + (kind == "alsa" ? "alsa:default, alsa:hw:0,0" : "pulse:default, "
                                            "pulse:alsa_input.usb-mic.mono-fallback") + ")");
  return device;
}

void check_capture_device(const CaptureDevice& device) { open_device(device, nullptr); }

AudioSource capture_device_stream(const CaptureDevice& device, const SampleSink& sink, const std::atomic<bool>& stop,
                                  const DecodeOptions& options) {
  limit_ffmpeg_allocations();
  FormatPtr input = open_device(device, &stop);
  const Deadline deadline(options.time_limit_s);
  const SampleSink until_stopped = [&](std::span<const float> block) {
    if (stop.load()) throw Stopped{};
    sink(block);
  };
  try {
    return decode_opened_input(*input, options, origin_of(device), deadline, &until_stopped).source;
  } catch (const Stopped&) {
    return {};
  } catch (const Error&) {
    if (stop.load()) return {};  // interrupted while waiting for a block
    throw;
  }
}

}  // namespace soundlens
