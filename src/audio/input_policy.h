#pragma once
// Private to the audio stage: what an input may be and do while it decodes.
// Only the audio containers and codecs soundlens supports are opened, no
// protocol is ever opened on behalf of the data (HLS, DASH, SDP, concat and
// friends would otherwise fetch URLs or bind ports), and decoding has a
// wall-clock deadline.
#include <chrono>
#include <string>

#include "audio/ffmpeg_handles.h"

namespace soundlens::audio_detail {

// "wav, mp3, ogg, flac, matroska,webm, mov,mp4,m4a,..." for messages.
std::string allowed_formats_text();
bool format_allowed(const AVInputFormat& format);
bool codec_allowed(AVCodecID id);

// Throws Error(unsupported_format) naming `format` when it is not an allowed demuxer.
void check_format(const AVInputFormat& format, const std::string& origin);

// Caps any single FFmpeg allocation (process-wide, once): a 400-byte WAV
// whose LIST chunk claims 4 GB otherwise makes the demuxer allocate and clear
// gigabytes before it reads a sample. No audio we accept needs one block this big.
void limit_ffmpeg_allocations();
constexpr std::size_t kMaxFfmpegAllocation = 128u << 20;

// The sample rates soundlens reads. The floor: real recordings go down to
// 1 kHz (hydrophone and seismic archives; telephone audio is 8 kHz), and
// below it a header is lying: a 1 Hz WAV makes the resampler write 32,000
// samples per input sample (1,000 samples asked 128 MB at once, then failed
// for want of memory: a 500). The ceiling:
// 768 kHz, the highest standard PCM rate (ultrasonic bat recorders, 16 x 48 kHz);
// above it a second costs more than a recording is worth and down-sampling
// filters grow with the ratio.
constexpr int kMinSampleRate = 1000;
constexpr int kMaxSampleRate = 768000;
// Throws Error(unsupported_format) naming the rate and `stream` (e.g. "the
// 'pcm_s16le' stream (format: wav) in 'x.wav'") when it is outside that range.
void check_sample_rate(int rate, const std::string& stream);

// Options for avformat_open_input: the format, codec and protocol whitelists
// (`protocols` "" for data in memory, "file" for a local path). The caller frees it.
AVDictionary* open_options(const std::string& protocols);
// Options for avcodec_open2: the decoder whitelist. The caller frees it.
AVDictionary* decoder_options();

// A wall-clock limit on opening and decoding one input. FFmpeg polls it
// through the interrupt callback (blocking reads return AVERROR_EXIT) and
// the decoder loop checks it between packets.
class Deadline {
 public:
  explicit Deadline(double seconds);
  bool passed() const { return std::chrono::steady_clock::now() > end_; }
  void install(AVFormatContext& context) const { install_into(context.interrupt_callback); }
  void install_into(AVIOInterruptCB& callback) const;
  [[noreturn]] void fail(const std::string& origin) const;

 private:
  static int interrupt(void* self);
  double seconds_;
  std::chrono::steady_clock::time_point end_;
};

}  // namespace soundlens::audio_detail
