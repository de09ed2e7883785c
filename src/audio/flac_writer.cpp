#include "audio/flac_writer.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "audio/ffmpeg_handles.h"
#include "core/error.h"

namespace soundlens {

using namespace audio_detail;

struct FlacWriter::State {
  FormatPtr out;  // avformat_close_input frees an output context too, closing its file
  AVFormatContext* ctx = nullptr;
  CodecPtr codec;
  AVStream* stream = nullptr;
  FramePtr frame;
  PacketPtr packet;
  std::vector<std::int16_t> pending;
  std::int64_t pts = 0;
  std::string path;
  bool open = false;

  void check(int err, const char* what) const {
    if (err < 0) throw Error(ErrorCode::internal, "writing the FLAC recording " + path + ": " + what + ": " + av_error_text(err));
  }

  void drain() {
    for (;;) {
      const int err = avcodec_receive_packet(codec.get(), packet.get());
      if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return;
      check(err, "encoding");
      av_packet_rescale_ts(packet.get(), codec->time_base, stream->time_base);
      packet->stream_index = stream->index;
      check(av_write_frame(ctx, packet.get()), "writing");
      av_packet_unref(packet.get());
    }
  }

  void send(std::size_t n) {
    frame->nb_samples = int(n);
    check(av_frame_make_writable(frame.get()), "a frame");
    std::copy(pending.begin(), pending.begin() + std::ptrdiff_t(n), reinterpret_cast<std::int16_t*>(frame->data[0]));
    frame->pts = pts;
    pts += std::int64_t(n);
    check(avcodec_send_frame(codec.get(), frame.get()), "encoding");
    pending.erase(pending.begin(), pending.begin() + std::ptrdiff_t(n));
    drain();
  }
};

FlacWriter::FlacWriter(const std::string& path, int sample_rate) : s_(std::make_unique<State>()) {
  State& s = *s_;
  s.path = path;
  const AVCodec* encoder = avcodec_find_encoder(AV_CODEC_ID_FLAC);
  if (!encoder) throw Error(ErrorCode::internal, "this build of FFmpeg has no FLAC encoder");
  s.check(avformat_alloc_output_context2(&s.ctx, nullptr, "flac", path.c_str()), "the container");
  s.out.reset(s.ctx);
  s.codec.reset(avcodec_alloc_context3(encoder));
  if (!s.codec) throw std::bad_alloc();
  s.codec->sample_fmt = AV_SAMPLE_FMT_S16;
  s.codec->sample_rate = sample_rate;
  av_channel_layout_default(&s.codec->ch_layout, 1);
  s.codec->time_base = AVRational{1, sample_rate};
  s.check(avcodec_open2(s.codec.get(), encoder, nullptr), "the encoder");
  s.stream = avformat_new_stream(s.ctx, nullptr);
  if (!s.stream) throw std::bad_alloc();
  s.stream->time_base = s.codec->time_base;
  s.check(avcodec_parameters_from_context(s.stream->codecpar, s.codec.get()), "the stream");
  if (avio_open(&s.ctx->pb, path.c_str(), AVIO_FLAG_WRITE) < 0)
    throw Error(ErrorCode::bad_request, "--record " + quoted_value(path) + ": cannot create it");
  s.open = true;
  s.check(avformat_write_header(s.ctx, nullptr), "the header");
  s.frame.reset(av_frame_alloc());
  s.packet.reset(av_packet_alloc());
  if (!s.frame || !s.packet) throw std::bad_alloc();
  s.frame->format = AV_SAMPLE_FMT_S16;
  s.frame->sample_rate = sample_rate;
  av_channel_layout_default(&s.frame->ch_layout, 1);
  s.frame->nb_samples = s.codec->frame_size > 0 ? s.codec->frame_size : 4608;
  s.check(av_frame_get_buffer(s.frame.get(), 0), "a frame");
  avio_flush(s.ctx->pb);
}

FlacWriter::~FlacWriter() {
  try {
    close();
  } catch (...) {
  }
}

void FlacWriter::write(std::span<const float> samples) {
  State& s = *s_;
  if (!s.open) return;
  for (float x : samples) {
    const float v = std::isnan(x) ? 0.0f : std::clamp(x * 32768.0f, -32768.0f, 32767.0f);
    s.pending.push_back(std::int16_t(std::lround(v)));
  }
  const auto size = std::size_t(s.codec->frame_size > 0 ? s.codec->frame_size : 4608);
  while (s.pending.size() >= size) s.send(size);
}

void FlacWriter::flush() {
  if (s_->open) avio_flush(s_->ctx->pb);
}

void FlacWriter::close() {
  State& s = *s_;
  if (!s.open) return;
  s.open = false;
  if (!s.pending.empty()) s.send(s.pending.size());
  s.check(avcodec_send_frame(s.codec.get(), nullptr), "finishing");
  s.drain();
  s.check(av_write_trailer(s.ctx), "the trailer");
  avio_closep(&s.ctx->pb);
}

}  // namespace soundlens
