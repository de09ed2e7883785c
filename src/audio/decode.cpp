// The two public entry points: open the input (a path or a byte buffer)
// under the input policy and hand it to the stream decoder.
#include <cerrno>
#include <filesystem>

#include "audio/audio.h"
#include "audio/ffmpeg_handles.h"
#include "audio/input_policy.h"
#include "audio/memory_input.h"
#include "audio/stream_decoder.h"
#include "core/error.h"

namespace soundlens {
namespace {

using namespace audio_detail;

void check_options(const DecodeOptions& options) {
  if (options.target_rate < 1000 || options.target_rate > 384000)
    throw Error(ErrorCode::bad_request,
                "target sample rate must be 1000 to 384000 Hz, got " + std::to_string(options.target_rate));
  if (!(options.max_duration_s > 0))
    throw Error(ErrorCode::bad_request, "maximum duration must be positive");
  if (!(options.time_limit_s > 0))
    throw Error(ErrorCode::bad_request, "decoding time limit must be positive");
}

void prepare(const DecodeOptions& options) {
  check_options(options);
  limit_ffmpeg_allocations();
  install_ffmpeg_log_capture();
  clear_last_ffmpeg_log();
}

// A missing or unreadable path is the caller's mistake, not a format problem.
void check_path(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (!fs::exists(status)) throw Error(ErrorCode::bad_request, "audio file not found: '" + path + "'");
  if (fs::is_directory(status)) throw Error(ErrorCode::bad_request, "not a file but a directory: '" + path + "'");
  // An empty file is reported as empty_audio (422), not unsupported_format:
  // "you sent nothing" is clearer than "this is not audio" for a 0-byte upload.
  if (fs::is_regular_file(status) && fs::file_size(path, ec) == 0 && !ec)
    throw Error(ErrorCode::empty_audio, "empty audio: the file is empty (0 bytes): '" + path + "'");
}

// Identifies the data itself (no file name, no extension: the same for a
// path and an upload), refuses anything but the allowed audio containers
// before a demuxer sees it, then opens it with the format, codec and protocol
// whitelists set. `io` must outlive the returned context (custom IO: FFmpeg
// does not close it).
FormatPtr open_checked(AVIOContext& io, const std::string& protocols, const Deadline& deadline,
                       const std::string& origin) {
  const AVInputFormat* format = nullptr;
  int err = av_probe_input_buffer2(&io, &format, "", nullptr, 0, 0);
  if (deadline.passed()) deadline.fail(origin);
  if (err < 0 || !format) throw_unrecognised(err < 0 ? err : AVERROR_INVALIDDATA, origin);
  check_format(*format, origin);
  AVFormatContext* raw = avformat_alloc_context();
  if (!raw) throw std::bad_alloc();
  raw->pb = &io;
  raw->flags |= AVFMT_FLAG_CUSTOM_IO;
  deadline.install(*raw);
  AVDictionary* open = open_options(protocols);
  err = avformat_open_input(&raw, "", format, &open);  // frees `raw` on failure
  av_dict_free(&open);
  if (err < 0) {
    if (deadline.passed()) deadline.fail(origin);
    throw_unrecognised(err, origin);
  }
  return FormatPtr(raw);
}

}  // namespace

namespace {

Audio decode_path(const std::string& path, const DecodeOptions& options, const SampleSink* sink) {
  prepare(options);
  check_path(path);
  const Deadline deadline(options.time_limit_s);
  const std::string origin = "'" + path + "'";
  AVIOInterruptCB interrupt{};
  deadline.install_into(interrupt);
  AVIOContext* raw_io = nullptr;
  // "file:" keeps a path such as "http://x" or "a:b.wav" from being taken as
  // another protocol: this function reads local files only.
  const int err = avio_open2(&raw_io, ("file:" + path).c_str(), AVIO_FLAG_READ, &interrupt, nullptr);
  if (err == AVERROR(EACCES) || err == AVERROR(ENOENT) || err == AVERROR(EISDIR))
    throw Error(ErrorCode::bad_request, "cannot open audio file " + origin + ": " + av_error_text(err));
  if (err < 0) throw_unrecognised(err, origin);
  IoPtr io(raw_io);
  FormatPtr input = open_checked(*io, "file", deadline, origin);
  return decode_opened_input(*input, options, origin, deadline, sink);
}

}  // namespace

Audio decode_file(const std::string& path, const DecodeOptions& options) { return decode_path(path, options, nullptr); }

std::optional<Audio> decode_file_up_to(const std::string& path, double seconds, const DecodeOptions& options) {
  struct Longer {};
  Audio audio;
  const std::size_t most = std::size_t(std::max(0.0, seconds) * options.target_rate);
  try {
    audio.source = decode_file_stream(path, [&](std::span<const float> block) {
      if (audio.samples.size() + block.size() > most) throw Longer{};
      audio.samples.insert(audio.samples.end(), block.begin(), block.end());
    }, options);
  } catch (const Longer&) {
    return std::nullopt;
  }
  audio.sample_rate = options.target_rate;
  return audio;
}

AudioSource decode_file_stream(const std::string& path, const SampleSink& sink, const DecodeOptions& options) {
  return decode_path(path, options, &sink).source;
}

namespace {

Audio decode_bytes(std::span<const std::uint8_t> bytes, const DecodeOptions& options, const SampleSink* sink) {
  prepare(options);
  if (bytes.empty()) throw Error(ErrorCode::empty_audio, "empty audio: the data is empty (0 bytes)");
  const Deadline deadline(options.time_limit_s);
  MemoryInput memory(bytes);  // outlives `input` below, which reads through it
  FormatPtr input = open_checked(*memory.context(), "", deadline, "the data");
  return decode_opened_input(*input, options, "the data", deadline, sink);
}

}  // namespace

Audio decode_memory(std::span<const std::uint8_t> bytes, const DecodeOptions& options) {
  return decode_bytes(bytes, options, nullptr);
}

AudioSource decode_memory_stream(std::span<const std::uint8_t> bytes, const SampleSink& sink,
                                 const DecodeOptions& options) {
  return decode_bytes(bytes, options, &sink).source;
}

double memory_duration_s(std::span<const std::uint8_t> bytes, const DecodeOptions& options) {
  prepare(options);
  if (bytes.empty()) throw Error(ErrorCode::empty_audio, "empty audio: the data is empty (0 bytes)");
  {
    const Deadline deadline(options.time_limit_s);
    MemoryInput memory(bytes);
    FormatPtr input = open_checked(*memory.context(), "", deadline, "the data");
    avformat_find_stream_info(input.get(), nullptr);  // as the decoder does; fills the length of most containers
    if (deadline.passed()) deadline.fail("the data");
    const bool has_audio = av_find_best_stream(input.get(), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0) >= 0;
    if (has_audio && input->duration != AV_NOPTS_VALUE && input->duration > 0) {
      const double stated = double(input->duration) / AV_TIME_BASE;
      if (stated > options.max_duration_s)
        throw Error(ErrorCode::too_long, "recording is too long: the container states " + std::to_string(int(stated)) +
                                             " s, the maximum is " + std::to_string(int(options.max_duration_s)) +
                                             " s");
      return stated;
    }
  }
  // No stated length (or no audio stream: the decoder says what is wrong): count the samples.
  std::size_t samples = 0;
  const SampleSink count = [&samples](std::span<const float> block) { samples += block.size(); };
  decode_bytes(bytes, options, &count);
  return double(samples) / options.target_rate;
}

}  // namespace soundlens
