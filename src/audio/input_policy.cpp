#include "audio/input_policy.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <mutex>
#include <string_view>

extern "C" {
#include <libavutil/mem.h>
}

#include "core/error.h"

namespace soundlens::audio_detail {
namespace {

// FFmpeg's demuxer names (`ffmpeg -demuxers`): WAV, MP3, Ogg (Vorbis, Opus,
// FLAC), FLAC, Matroska/WebM, MP4/M4A/MOV, AIFF, CAF. Everything else, and in
// particular the playlist and session formats (hls, dash, sdp, rtp, rtsp,
// concat, ...) that open other inputs, is refused before it is opened.
constexpr std::array<std::string_view, 8> kFormats = {
    "wav", "mp3", "ogg", "flac", "matroska,webm", "mov,mp4,m4a,3gp,3g2,mj2", "aiff", "caf"};

// The audio codecs those containers carry for recordings. PCM (every sample
// layout, G.711) is one range of ids; the rest are listed.
constexpr std::array<AVCodecID, 14> kCodecs = {
    AV_CODEC_ID_MP3,       AV_CODEC_ID_MP2,          AV_CODEC_ID_VORBIS,       AV_CODEC_ID_OPUS,
    AV_CODEC_ID_FLAC,      AV_CODEC_ID_AAC,          AV_CODEC_ID_ALAC,         AV_CODEC_ID_ADPCM_MS,
    AV_CODEC_ID_ADPCM_IMA_WAV, AV_CODEC_ID_ADPCM_IMA_QT, AV_CODEC_ID_GSM_MS,   AV_CODEC_ID_AMR_NB,
    AV_CODEC_ID_AMR_WB,    AV_CODEC_ID_SPEEX};

bool is_pcm(AVCodecID id) { return id >= AV_CODEC_ID_FIRST_AUDIO && id < AV_CODEC_ID_ADPCM_IMA_QT; }

// Every decoder FFmpeg has for an allowed codec (e.g. mp3float and mp3, libopus and opus).
std::string decoder_whitelist() {
  std::string list;
  void* state = nullptr;
  while (const AVCodec* codec = av_codec_iterate(&state)) {
    if (!av_codec_is_decoder(codec) || !codec_allowed(codec->id)) continue;
    if (!list.empty()) list += ',';
    list += codec->name;
  }
  return list;
}

std::string format_whitelist() {
  std::string list;
  for (auto name : kFormats) list += (list.empty() ? "" : ",") + std::string(name);
  return list;
}

}  // namespace

std::string allowed_formats_text() {
  return "WAV, MP3, Ogg (Vorbis, Opus, FLAC), FLAC, WebM/Matroska, MP4/M4A/MOV, AIFF, CAF";
}

bool format_allowed(const AVInputFormat& format) {
  return format.name && std::find(kFormats.begin(), kFormats.end(), std::string_view(format.name)) != kFormats.end();
}

bool codec_allowed(AVCodecID id) {
  return is_pcm(id) || std::find(kCodecs.begin(), kCodecs.end(), id) != kCodecs.end();
}

void check_format(const AVInputFormat& format, const std::string& origin) {
  if (format_allowed(format)) return;
  std::string found = format.name ? format.name : "unknown";
  if (format.long_name) found += " (" + std::string(format.long_name) + ")";
  throw Error(ErrorCode::unsupported_format, "not an audio file: " + origin + " is " + found +
                                                 ", which soundlens does not read; accepted formats: " +
                                                 allowed_formats_text());
}

void check_sample_rate(int rate, const std::string& stream) {
  if (rate >= kMinSampleRate && rate <= kMaxSampleRate) return;
  throw Error(ErrorCode::unsupported_format,
              "unsupported sample rate: " + stream + " is at " + std::to_string(rate) +
                  " Hz; soundlens reads audio sampled at " + std::to_string(kMinSampleRate) + " to " +
                  std::to_string(kMaxSampleRate) + " Hz");
}

void limit_ffmpeg_allocations() {
  static std::once_flag once;
  std::call_once(once, [] { av_max_alloc(kMaxFfmpegAllocation); });
}

AVDictionary* open_options(const std::string& protocols) {
  static const std::string formats = format_whitelist();
  static const std::string decoders = decoder_whitelist();
  AVDictionary* options = nullptr;
  av_dict_set(&options, "format_whitelist", formats.c_str(), 0);
  av_dict_set(&options, "codec_whitelist", decoders.c_str(), 0);
  av_dict_set(&options, "protocol_whitelist", protocols.c_str(), 0);
  return options;
}

AVDictionary* decoder_options() {
  static const std::string decoders = decoder_whitelist();
  AVDictionary* options = nullptr;
  av_dict_set(&options, "codec_whitelist", decoders.c_str(), 0);
  return options;
}

Deadline::Deadline(double seconds)
    : seconds_(seconds),
      end_(std::chrono::steady_clock::now() +
           std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(seconds))) {}

void Deadline::install_into(AVIOInterruptCB& callback) const {
  callback.callback = &Deadline::interrupt;
  callback.opaque = const_cast<Deadline*>(this);
}

int Deadline::interrupt(void* self) { return static_cast<const Deadline*>(self)->passed() ? 1 : 0; }

void Deadline::fail(const std::string& origin) const {
  char limit[32];
  std::snprintf(limit, sizeof limit, "%g", seconds_);
  throw Error(ErrorCode::too_long, "decoding " + origin + " took longer than the limit of " + std::string(limit) +
                                       " s (wall clock)");
}

}  // namespace soundlens::audio_detail
