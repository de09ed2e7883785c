#include "audio/stream_decoder.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <cstdio>

#include "audio/mono_resampler.h"
#include "core/error.h"

namespace soundlens::audio_detail {
namespace {

// 80 dB above full scale: louder than any real float recording, and far
// enough below FLT_MAX that sums and squares downstream stay finite.
constexpr double kMaxSampleMagnitude = 1e4;
// Streaming hands samples over in blocks of about this many.
constexpr std::size_t kBlockSamples = 1 << 16;

std::string format_name(const AVFormatContext& input) {
  return input.iformat && input.iformat->name ? input.iformat->name : "unknown";
}

// "10 s", "0.3 s", "5.042 s": millisecond precision without trailing zeros.
std::string seconds_text(double s) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.3f", s);
  std::string text = buffer;
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text + " s";
}

// Appends FFmpeg's own last complaint (e.g. "[mp3float @ 0x..] Header missing")
// when there is one: it is often more specific than the AVERROR text.
std::string with_ffmpeg_detail(std::string message) {
  const std::string detail = last_ffmpeg_log();
  if (!detail.empty()) message += " (FFmpeg: " + detail + ")";
  return message;
}

// "video/png, data/bin_data": says what a non-audio file actually contains.
std::string stream_summary(const AVFormatContext& input) {
  std::string list;
  for (unsigned i = 0; i < input.nb_streams; ++i) {
    const AVCodecParameters* par = input.streams[i]->codecpar;
    const char* type = av_get_media_type_string(par->codec_type);
    if (!list.empty()) list += ", ";
    list += std::string(type ? type : "unknown") + "/" + avcodec_get_name(par->codec_id);
  }
  return list.empty() ? "none" : list;
}

[[noreturn]] void throw_too_long(double seconds, double max_s, const char* how) {
  throw Error(ErrorCode::too_long, "recording is too long: " + std::string(how) + " " + seconds_text(seconds) +
                                       ", the maximum is " + seconds_text(max_s));
}

// Container length when the container states it; bitrate-based guesses (MP3
// without a Xing header, ADTS) are too rough to reject a file on.
double stated_duration_s(const AVFormatContext& input) {
  if (input.duration == AV_NOPTS_VALUE || input.duration <= 0) return -1;
  if (input.duration_estimation_method == AVFMT_DURATION_FROM_BITRATE) return -1;
  return double(input.duration) / AV_TIME_BASE;
}

class StreamDecoder {
 public:
  StreamDecoder(AVFormatContext& input, const DecodeOptions& options, std::string origin, const Deadline& deadline,
                const SampleSink* sink)
      : input_(input), options_(options), origin_(std::move(origin)), deadline_(deadline), sink_(sink) {}

  Audio run() {
    open_stream();
    if (!sink_) reserve_output();
    read_packets();
    drain(nullptr);
    if (resampler_) close_segment();
    if (sink_) hand_over(samples_.size());
    return finish();
  }

 private:
  void open_stream() {
    // Failing here is not fatal by itself: truncated files often lack the
    // information but still have a usable audio stream.
    avformat_find_stream_info(&input_, nullptr);
    if (deadline_.passed()) deadline_.fail(origin_);
    const AVCodec* codec = nullptr;
    const int index = av_find_best_stream(&input_, AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
    if (index == AVERROR_STREAM_NOT_FOUND) throw_no_audio_stream();
    if (index < 0 || !codec) {
      const AVCodecID id = index >= 0 ? input_.streams[index]->codecpar->codec_id : AV_CODEC_ID_NONE;
      throw Error(ErrorCode::unsupported_format,
                  "unsupported audio codec: no decoder for '" + std::string(avcodec_get_name(id)) +
                      "' (format: " + format_name(input_) + ") in " + origin_);
    }
    const AVCodecID id = input_.streams[index]->codecpar->codec_id;
    if (!codec_allowed(id))
      throw Error(ErrorCode::unsupported_format,
                  "unsupported audio codec '" + std::string(avcodec_get_name(id)) + "' (format: " +
                      format_name(input_) + ") in " + origin_ +
                      ": soundlens decodes PCM, MP3, Vorbis, Opus, FLAC, AAC, ALAC and ADPCM audio");
    stream_ = input_.streams[index];
    for (unsigned i = 0; i < input_.nb_streams; ++i)
      if (int(i) != index) input_.streams[i]->discard = AVDISCARD_ALL;

    const AVCodecParameters* par = stream_->codecpar;
    source_.container = format_name(input_);
    source_.codec = avcodec_get_name(par->codec_id);
    source_.sample_rate = par->sample_rate;
    source_.channels = par->ch_layout.nb_channels;

    // Before the decoder opens: a header's rate is refused here, without a resampler.
    if (source_.sample_rate != 0) check_sample_rate(source_.sample_rate, stream_text());

    const double stated = stated_duration_s(input_);
    if (stated > options_.max_duration_s) throw_too_long(stated, options_.max_duration_s, "the container states");

    codec_.reset(avcodec_alloc_context3(codec));
    if (!codec_) throw std::bad_alloc();
    int err = avcodec_parameters_to_context(codec_.get(), par);
    if (err >= 0) {
      AVDictionary* whitelist = decoder_options();
      err = avcodec_open2(codec_.get(), codec, &whitelist);
      av_dict_free(&whitelist);
    }
    if (err < 0)
      throw Error(ErrorCode::unsupported_format,
                  with_ffmpeg_detail("cannot open the '" + source_.codec + "' decoder (format: " + source_.container +
                                     ") for " + origin_ + ": " + av_error_text(err)));
  }

  // FFmpeg passes over an audio stream that claims no channels (a WAV header
  // with 0): say so rather than "no audio stream".
  [[noreturn]] void throw_no_audio_stream() const {
    for (unsigned i = 0; i < input_.nb_streams; ++i) {
      const AVCodecParameters* par = input_.streams[i]->codecpar;
      if (par->codec_type == AVMEDIA_TYPE_AUDIO && par->ch_layout.nb_channels <= 0)
        throw Error(ErrorCode::unsupported_format,
                    "not usable audio: the '" + std::string(avcodec_get_name(par->codec_id)) + "' stream (format: " +
                        format_name(input_) + ") in " + origin_ + " has " +
                        std::to_string(par->ch_layout.nb_channels) + " channels");
    }
    throw Error(ErrorCode::unsupported_format, "not an audio file: FFmpeg found no audio stream (format: " +
                                                   format_name(input_) + ", streams: " + stream_summary(input_) +
                                                   ") in " + origin_);
  }

  // Without this the output vector grows by doubling, and each move holds the
  // old block beside the new one: up to twice the final size resident.
  void reserve_output() {
    if (input_.duration == AV_NOPTS_VALUE || input_.duration <= 0) return;
    const double seconds = std::min(double(input_.duration) / AV_TIME_BASE, options_.max_duration_s) + 1.0;
    samples_.reserve(static_cast<std::size_t>(seconds * options_.target_rate));
  }

  void read_packets() {
    PacketPtr packet(av_packet_alloc());
    if (!packet) throw std::bad_alloc();
    for (;;) {
      if (deadline_.passed()) deadline_.fail(origin_);
      const int err = av_read_frame(&input_, packet.get());
      if (err == AVERROR_EXIT && deadline_.passed()) deadline_.fail(origin_);
      if (err < 0) {
        // EOF, or a truncated/corrupt tail: keep what decoded so far.
        if (err != AVERROR_EOF) note_error(err);
        return;
      }
      if (packet->stream_index == stream_->index) drain(packet.get());
      av_packet_unref(packet.get());
    }
  }

  // Sends one packet (nullptr: end of stream) and takes every frame it yields.
  void drain(const AVPacket* packet) {
    int sent = avcodec_send_packet(codec_.get(), packet);
    if (sent < 0 && sent != AVERROR(EAGAIN)) {
      if (sent != AVERROR_EOF) note_error(sent);  // a corrupt packet: skip it, as ffmpeg does
      if (packet) return;
    }
    receive_frames();
    if (sent == AVERROR(EAGAIN)) {
      sent = avcodec_send_packet(codec_.get(), packet);
      if (sent < 0 && sent != AVERROR_EOF) note_error(sent);
      receive_frames();
    }
  }

  void receive_frames() {
    if (!frame_) frame_.reset(av_frame_alloc());
    if (!frame_) throw std::bad_alloc();
    for (;;) {
      const int err = avcodec_receive_frame(codec_.get(), frame_.get());
      if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return;
      if (err < 0) {
        note_error(err);
        return;
      }
      take(*frame_);
      av_frame_unref(frame_.get());
    }
  }

  void take(const AVFrame& frame) {
    if (frame.nb_samples <= 0) return;
    if (!resampler_) {
      source_.sample_rate = frame.sample_rate;
      source_.channels = frame.ch_layout.nb_channels;
    } else if (!resampler_->accepts(frame)) {
      close_segment();
    }
    check_finite(frame);
    if (!resampler_) {
      // The decoder's rate, which the header may not have said (or may change mid-stream).
      check_sample_rate(frame.sample_rate, stream_text());
      resampler_ = std::make_unique<MonoResampler>(frame, options_.target_rate, samples_);
    }
    resampler_->push(frame);
    if (sink_ && resampler_->settled() >= kBlockSamples) hand_over(resampler_->settled());
    // Checked while decoding too, so that a header that lies (or says
    // nothing) cannot make us decode, and hold, an endless stream.
    const double decoded = decoded_seconds();
    if (decoded > options_.max_duration_s) throw_too_long(decoded, options_.max_duration_s, "decoding passed");
  }

  // A float stream can carry NaN, infinity, or values so large that
  // averaging channels or resampling overflows to infinity; none of these is
  // sound any later stage can use (every probability would become 0 or NaN):
  // refuse, saying where.
  void check_finite(const AVFrame& frame) const {
    const auto format = AVSampleFormat(frame.format);
    const bool is_float = format == AV_SAMPLE_FMT_FLT || format == AV_SAMPLE_FMT_FLTP;
    if (!is_float && format != AV_SAMPLE_FMT_DBL && format != AV_SAMPLE_FMT_DBLP) return;
    const int channels = frame.ch_layout.nb_channels;
    const bool planar = av_sample_fmt_is_planar(format);
    const int planes = planar ? channels : 1;
    const std::size_t per_plane = std::size_t(frame.nb_samples) * (planar ? 1 : channels);
    for (int p = 0; p < planes; ++p) {
      for (std::size_t i = 0; i < per_plane; ++i) {
        const double x = is_float ? double(reinterpret_cast<const float*>(frame.extended_data[p])[i])
                                  : reinterpret_cast<const double*>(frame.extended_data[p])[i];
        if (std::fabs(x) <= kMaxSampleMagnitude) continue;
        const std::size_t sample = planar ? i : i / std::size_t(channels);
        const int channel = planar ? p : int(i % std::size_t(channels));
        const double at_s = decoded_seconds() + double(sample) / std::max(frame.sample_rate, 1);
        const std::string what = std::isnan(x) ? "a NaN" : std::isinf(x) ? "an infinite" : "an out-of-range";
        throw Error(ErrorCode::invalid_samples,
                    "invalid samples: the '" + source_.codec + "' stream in " + origin_ + " has " + what +
                        " sample at " + seconds_text(at_s) + " (channel " + std::to_string(channel + 1) +
                        "); float samples must be finite, at most 10000 in magnitude (full scale is 1)");
      }
    }
  }

  void close_segment() {
    resampler_->finish();
    closed_seconds_ += double(resampler_->input_samples()) / resampler_->input_rate();
    closed_samples_ += resampler_->input_samples();
    resampler_.reset();
  }

  // Streaming: gives the sink the first n samples, which nothing will change any more.
  void hand_over(std::size_t n) {
    if (n == 0) return;
    (*sink_)(std::span<const float>(samples_.data(), n));
    samples_.erase(samples_.begin(), samples_.begin() + std::ptrdiff_t(n));
    if (resampler_) resampler_->dropped_front(n);
  }

  // "the 'pcm_s16le' stream (format: wav) in 'x.wav'", for messages.
  std::string stream_text() const {
    return "the '" + source_.codec + "' stream (format: " + source_.container + ") in " + origin_;
  }

  double decoded_seconds() const {
    return closed_seconds_ + (resampler_ ? double(resampler_->input_samples()) / resampler_->input_rate() : 0.0);
  }

  void note_error(int err) {
    ++errors_;
    last_error_ = err;
  }

  Audio finish() {
    if (closed_samples_ == 0) {
      if (errors_ > 0)
        throw Error(ErrorCode::unsupported_format,
                    with_ffmpeg_detail("not decodable audio: FFmpeg could not decode any audio from the '" +
                                       source_.codec + "' stream (format: " + source_.container + ") in " +
                                       origin_ + ": " + av_error_text(last_error_)));
      throw Error(ErrorCode::empty_audio, "empty audio: the '" + source_.codec + "' stream (format: " +
                                              source_.container + ") in " + origin_ + " contains no samples");
    }
    Audio audio;
    audio.sample_rate = options_.target_rate;
    source_.duration_s = closed_seconds_;
    audio.source = std::move(source_);
    audio.samples = std::move(samples_);
    return audio;
  }

  AVFormatContext& input_;
  const DecodeOptions& options_;
  std::string origin_;
  const Deadline& deadline_;
  const SampleSink* sink_;  // nullptr: keep every sample in the returned Audio
  AVStream* stream_ = nullptr;
  CodecPtr codec_;
  FramePtr frame_;
  AudioSource source_;
  std::vector<float> samples_;
  std::unique_ptr<MonoResampler> resampler_;  // declared after samples_: it refers to them
  double closed_seconds_ = 0;
  std::int64_t closed_samples_ = 0;
  int errors_ = 0;
  int last_error_ = 0;
};

}  // namespace

Audio decode_opened_input(AVFormatContext& input, const DecodeOptions& options, const std::string& origin,
                          const Deadline& deadline, const SampleSink* sink) {
  return StreamDecoder(input, options, origin, deadline, sink).run();
}

void throw_unrecognised(int av_error, const std::string& origin) {
  if (av_error == AVERROR_INVALIDDATA)
    throw Error(ErrorCode::unsupported_format,
                with_ffmpeg_detail("not an audio file: FFmpeg does not recognise the format of " + origin));
  // Recognised, but unreadable: e.g. an MP3 cut inside its first frame.
  throw Error(ErrorCode::unsupported_format, with_ffmpeg_detail("not decodable audio: FFmpeg could not open " +
                                                                origin + ": " + av_error_text(av_error)));
}

}  // namespace soundlens::audio_detail
