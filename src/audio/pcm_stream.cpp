#include "audio/pcm_stream.h"

#include <cmath>
#include <cstring>
#include <vector>

#include "audio/ffmpeg_handles.h"
#include "audio/mono_resampler.h"
#include "core/error.h"

namespace soundlens {

using namespace audio_detail;

PcmFormat pcm_format(const std::string& name) {
  if (name == "s16le") return PcmFormat::s16le;
  if (name == "f32le") return PcmFormat::f32le;
  throw Error(ErrorCode::bad_request, "--format must be s16le or f32le, not " + quoted_value(name));
}

struct PcmStream::State {
  PcmFormat format;
  int rate, channels, target_rate, frame_bytes;
  std::vector<std::uint8_t> pending;  // bytes not yet a whole frame
  std::vector<float> out;             // resampled, not yet handed over
  std::unique_ptr<MonoResampler> resampler;
  FramePtr frame;
  std::int64_t frames = 0;
  bool finished = false;

  void hand_over(const SampleSink& sink, std::size_t n) {
    if (n == 0) return;
    sink(std::span<const float>(out.data(), n));
    out.erase(out.begin(), out.begin() + std::ptrdiff_t(n));
    resampler->dropped_front(n);
  }

  void check_finite(const std::uint8_t* data, int count) const {
    if (format != PcmFormat::f32le) return;
    for (int i = 0; i < count * channels; ++i) {
      float x;
      std::memcpy(&x, data + std::size_t(i) * 4, 4);
      if (std::fabs(x) <= 10000.0f) continue;
      const double at_s = double(frames + i / channels) / rate;
      char text[200];
      std::snprintf(text, sizeof text,
                    "invalid samples: the f32le input has %s sample at %.3f s (channel %d); float samples must be "
                    "finite, at most 10000 in magnitude (full scale is 1)",
                    std::isnan(x) ? "a NaN" : std::isinf(x) ? "an infinite" : "an out-of-range", at_s,
                    i % channels + 1);
      throw Error(ErrorCode::invalid_samples, text);
    }
  }
};

PcmStream::PcmStream(PcmFormat format, int rate, int channels, int target_rate) : s_(std::make_unique<State>()) {
  if (rate < 1000 || rate > 384000)
    throw Error(ErrorCode::bad_request, "--rate must be between 1000 and 384000 Hz, not " + std::to_string(rate));
  if (channels < 1 || channels > 64)
    throw Error(ErrorCode::bad_request, "--channels must be between 1 and 64, not " + std::to_string(channels));
  if (target_rate < 1000 || target_rate > 384000) throw Error(ErrorCode::bad_request, "bad target rate");
  s_->format = format;
  s_->rate = rate;
  s_->channels = channels;
  s_->target_rate = target_rate;
  s_->frame_bytes = channels * (format == PcmFormat::s16le ? 2 : 4);
  s_->frame.reset(av_frame_alloc());
  if (!s_->frame) throw std::bad_alloc();
}

PcmStream::~PcmStream() = default;

int PcmStream::bytes_per_frame() const { return s_->frame_bytes; }
std::int64_t PcmStream::input_frames() const { return s_->frames; }

void PcmStream::push(std::span<const std::uint8_t> bytes, const SampleSink& sink) {
  State& s = *s_;
  if (s.finished) throw Error(ErrorCode::internal, "PcmStream: push after finish");
  s.pending.insert(s.pending.end(), bytes.begin(), bytes.end());
  const int count = int(s.pending.size() / std::size_t(s.frame_bytes));
  if (count == 0) return;
  s.check_finite(s.pending.data(), count);
  AVFrame& f = *s.frame;
  f.format = s.format == PcmFormat::s16le ? AV_SAMPLE_FMT_S16 : AV_SAMPLE_FMT_FLT;
  f.sample_rate = s.rate;
  av_channel_layout_uninit(&f.ch_layout);
  av_channel_layout_default(&f.ch_layout, s.channels);
  f.nb_samples = count;
  f.data[0] = s.pending.data();
  f.extended_data = f.data;
  f.linesize[0] = count * s.frame_bytes;
  if (!s.resampler) s.resampler = std::make_unique<MonoResampler>(f, s.target_rate, s.out);
  s.resampler->push(f);
  f.data[0] = nullptr;
  s.frames += count;
  s.pending.erase(s.pending.begin(), s.pending.begin() + std::ptrdiff_t(count) * s.frame_bytes);
  s.hand_over(sink, s.resampler->settled());
}

std::size_t PcmStream::finish(const SampleSink& sink) {
  State& s = *s_;
  if (s.finished) return 0;
  s.finished = true;
  if (s.resampler) {
    s.resampler->finish();
    s.hand_over(sink, s.out.size());
  }
  return s.pending.size();
}

}  // namespace soundlens
