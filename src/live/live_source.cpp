#include "live/live_source.h"

#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <thread>

#include "audio/audio.h"
#include "audio/capture.h"
#include "audio/pcm_stream.h"
#include "features/mel_spectrogram.h"
#include "core/error.h"

namespace soundlens {
namespace {

using Clock = std::chrono::steady_clock;

struct Stopped {};  // thrown from the decoder's sink when asked to stop

void read_pcm(const SourceSpec& spec, SampleQueue& queue, const std::atomic<bool>& stop) {
  PcmStream pcm(pcm_format(spec.format), int(spec.rate), int(spec.channels));
  bool open = true;
  const SampleSink sink = [&](std::span<const float> block) { open = open && queue.push(block); };
  std::vector<std::uint8_t> buffer(1 << 14);
  std::string note;
  while (open && !stop.load()) {
    pollfd p{spec.fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, 100);  // wakes to see `stop`
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) throw Error(ErrorCode::internal, std::string("reading standard input: ") + std::strerror(errno));
    if (ready == 0) continue;
    const ssize_t n = ::read(spec.fd, buffer.data(), buffer.size());
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n < 0) throw Error(ErrorCode::internal, std::string("reading standard input: ") + std::strerror(errno));
    if (n == 0) break;  // end of the stream
    pcm.push(std::span<const std::uint8_t>(buffer.data(), std::size_t(n)), sink);
  }
  const std::size_t partial = pcm.finish(sink);
  if (partial > 0)
    note = "the input ended inside a sample frame: its last " + std::to_string(partial) + " byte(s) (of " +
           std::to_string(pcm.bytes_per_frame()) + " per frame of " + spec.format + " x " +
           std::to_string(spec.channels) + " channels) were left out";
  queue.close(nullptr, note);
}

void read_file(const SourceSpec& spec, SampleQueue& queue, const std::atomic<bool>& stop) {
  DecodeOptions options;
  options.max_duration_s = 48 * 3600.0;  // a night and more; memory stays flat (streamed)
  options.time_limit_s = 1e9;            // paced at real time: the wall clock is the point
  const auto t0 = Clock::now();
  std::size_t delivered = 0;
  const SampleSink sink = [&](std::span<const float> block) {
    // Paced in steps of 20 ms so that windows arrive when their audio would.
    const std::size_t step = spec.pace > 0 ? 640 : block.size();
    for (std::size_t at = 0; at < block.size(); at += step) {
      if (stop.load()) throw Stopped{};
      const auto part = block.subspan(at, std::min(step, block.size() - at));
      if (spec.pace > 0) {
        const double due_s = double(delivered) / kFrontEndInputRate / spec.pace;
        std::this_thread::sleep_until(t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(due_s)));
      }
      if (!queue.push(part)) throw Stopped{};
      delivered += part.size();
    }
  };
  try {
    decode_file_stream(spec.input, sink, options);
  } catch (const Stopped&) {
  }
  queue.close();
}

void read_device(const CaptureDevice& device, SampleQueue& queue, const std::atomic<bool>& stop) {
  DecodeOptions options;
  options.max_duration_s = 48 * 3600.0;  // as a file: a night and more, memory flat
  options.time_limit_s = 1e9;            // a device runs as long as it is listened to
  capture_device_stream(device, [&](std::span<const float> block) {
    if (!queue.push(block)) throw Error(ErrorCode::cancelled, "stopped");
  }, stop, options);
  queue.close();
}

}  // namespace

bool source_is_real_time(const SourceSpec& spec) {
  if (names_capture_device(spec.input)) return true;
  if (spec.input != "-") return spec.pace > 0;
  struct stat st {};
  return !(::fstat(spec.fd, &st) == 0 && S_ISREG(st.st_mode));  // a pipe or a device: at its own pace
}

LiveSource open_source(const SourceSpec& spec) {
  if (!(spec.pace >= 0)) throw Error(ErrorCode::bad_request, "--pace must be at least 0");
  if (names_capture_device(spec.input)) {
    const CaptureDevice device = parse_capture_device(spec.input);  // a hostile name is refused here
    check_capture_device(device);  // one that does not exist or is busy: before the model loads
    return [device](SampleQueue& queue, const std::atomic<bool>& stop) {
      try {
        read_device(device, queue, stop);
      } catch (...) {
        if (stop.load()) queue.close();
        else queue.close(std::current_exception());
      }
    };
  }
  if (spec.input == "-") {
    PcmStream check(pcm_format(spec.format), int(spec.rate), int(spec.channels));  // the options, before starting
    (void)check;
    return [spec](SampleQueue& queue, const std::atomic<bool>& stop) {
      try {
        read_pcm(spec, queue, stop);
      } catch (...) {
        queue.close(std::current_exception());
      }
    };
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(spec.input, ec))
    throw Error(ErrorCode::bad_request, "--input " + quoted_value(spec.input) +
                                            ": no such file (use - for raw PCM on standard input)");
  return [spec](SampleQueue& queue, const std::atomic<bool>& stop) {
    try {
      read_file(spec, queue, stop);
    } catch (...) {
      queue.close(std::current_exception());
    }
  };
}

}  // namespace soundlens
