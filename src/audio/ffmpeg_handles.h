#pragma once
// Private to the audio stage: owning handles for FFmpeg objects and the
// helpers that turn FFmpeg's error codes and log lines into our messages.
// Nothing outside src/audio includes this (FFmpeg stays out of public headers).
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswresample/swresample.h>
}

#include <memory>
#include <string>

namespace soundlens::audio_detail {

// FFmpeg's free functions take a pointer-to-pointer; these adapt them to
// unique_ptr so that every early return and throw releases what was opened.
struct FormatCloser {
  void operator()(AVFormatContext* p) const { avformat_close_input(&p); }
};
struct CodecFreer {
  void operator()(AVCodecContext* p) const { avcodec_free_context(&p); }
};
struct PacketFreer {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct FrameFreer {
  void operator()(AVFrame* p) const { av_frame_free(&p); }
};
struct IoCloser {  // an AVIOContext opened by avio_open2
  void operator()(AVIOContext* p) const { avio_closep(&p); }
};
struct SwrFreer {
  void operator()(SwrContext* p) const { swr_free(&p); }
};

using FormatPtr = std::unique_ptr<AVFormatContext, FormatCloser>;
using CodecPtr = std::unique_ptr<AVCodecContext, CodecFreer>;
using PacketPtr = std::unique_ptr<AVPacket, PacketFreer>;
using FramePtr = std::unique_ptr<AVFrame, FrameFreer>;
using SwrPtr = std::unique_ptr<SwrContext, SwrFreer>;
using IoPtr = std::unique_ptr<AVIOContext, IoCloser>;

// FFmpeg's description of an AVERROR code, e.g. "Invalid data found when processing input".
std::string av_error_text(int code);

// Routes FFmpeg's logging away from stderr (once per process) and keeps the
// calling thread's most recent error-level line, so that our exceptions can
// quote what FFmpeg complained about without FFmpeg printing it itself.
void install_ffmpeg_log_capture();
void clear_last_ffmpeg_log();
std::string last_ffmpeg_log();  // "" when FFmpeg logged no error on this thread

}  // namespace soundlens::audio_detail
