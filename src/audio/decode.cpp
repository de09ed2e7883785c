// The two public entry points: open the input (a path or a byte buffer) and
// hand it to the stream decoder.
#include <cerrno>
#include <filesystem>

#include "audio/audio.h"
#include "audio/ffmpeg_handles.h"
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
}

void prepare(const DecodeOptions& options) {
  check_options(options);
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

}  // namespace

Audio decode_file(const std::string& path, const DecodeOptions& options) {
  prepare(options);
  check_path(path);
  AVFormatContext* raw = nullptr;
  // "file:" keeps a path such as "http://x" or "a:b.wav" from being taken as
  // another protocol: this function reads local files only.
  const int err = avformat_open_input(&raw, ("file:" + path).c_str(), nullptr, nullptr);
  if (err == AVERROR(EACCES) || err == AVERROR(ENOENT) || err == AVERROR(EISDIR))
    throw Error(ErrorCode::bad_request, "cannot open audio file '" + path + "': " + av_error_text(err));
  if (err < 0) throw_unrecognised(err, "'" + path + "'");
  FormatPtr input(raw);
  return decode_opened_input(*input, options, "'" + path + "'");
}

Audio decode_memory(std::span<const std::uint8_t> bytes, const DecodeOptions& options) {
  prepare(options);
  if (bytes.empty()) throw Error(ErrorCode::empty_audio, "empty audio: the data is empty (0 bytes)");
  MemoryInput memory(bytes);  // outlives `input` below, which reads through it
  AVFormatContext* raw = avformat_alloc_context();
  if (!raw) throw std::bad_alloc();
  raw->pb = memory.context();
  raw->flags |= AVFMT_FLAG_CUSTOM_IO;
  const int err = avformat_open_input(&raw, "", nullptr, nullptr);  // frees `raw` on failure
  if (err < 0) throw_unrecognised(err, "the data");
  FormatPtr input(raw);
  return decode_opened_input(*input, options, "the data");
}

}  // namespace soundlens
