#include "audio/mono_resampler.h"

#include <algorithm>
#include <string>

#include "core/error.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
}

namespace soundlens::audio_detail {
namespace {

// The reference loads audio with librosa, whose "soxr_hq" is libsoxr's
// soxr_quality_spec(SOXR_HQ, 0): 20-bit precision, linear phase, pass band
// to 0.9137436533 of Nyquist. libswresample drives the same libsoxr; with
// these settings the output matches librosa's to a float rounding (1e-7).
// Should a build of FFmpeg lack soxr, fall back to its own resampler with a
// long Kaiser-windowed filter.
constexpr double kSoxrHqPrecisionBits = 20;
constexpr double kSoxrHqPassbandEnd = 0.9137436533;

SwrPtr make_swr(const AVChannelLayout& in_layout, AVSampleFormat in_format, int in_rate, int out_rate,
                bool use_soxr) {
  SwrContext* raw = nullptr;
  AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
  // FFmpeg 5.1 declares the layouts non-const; it only copies them.
  if (swr_alloc_set_opts2(&raw, &mono, AV_SAMPLE_FMT_FLT, out_rate, const_cast<AVChannelLayout*>(&in_layout),
                          in_format, in_rate, 0, nullptr) < 0)
    return nullptr;
  SwrPtr swr(raw);
  av_opt_set_sample_fmt(raw, "internal_sample_fmt", AV_SAMPLE_FMT_FLTP, 0);
  if (use_soxr) {
    av_opt_set_int(raw, "resampler", SWR_ENGINE_SOXR, 0);
    av_opt_set_double(raw, "precision", kSoxrHqPrecisionBits, 0);
    av_opt_set_double(raw, "cutoff", kSoxrHqPassbandEnd, 0);
  } else {
    av_opt_set_int(raw, "resampler", SWR_ENGINE_SWR, 0);
    av_opt_set_int(raw, "filter_size", 128, 0);
    av_opt_set_int(raw, "phase_shift", 10, 0);
    av_opt_set_int(raw, "filter_type", SWR_FILTER_TYPE_KAISER, 0);
    av_opt_set_double(raw, "kaiser_beta", 12, 0);
    av_opt_set_double(raw, "cutoff", 0.96, 0);
  }
  // The reference averages channels (librosa's to_mono); FFmpeg's default
  // downmix weights surround channels and drops LFE, so set the matrix.
  const int n = in_layout.nb_channels;
  std::vector<double> matrix(static_cast<std::size_t>(n), 1.0 / n);
  if (swr_set_matrix(raw, matrix.data(), n) < 0) return nullptr;
  if (swr_init(raw) < 0) return nullptr;
  return swr;
}

}  // namespace

MonoResampler::MonoResampler(const AVFrame& first, int target_rate, std::vector<float>& out)
    : out_(out),
      segment_start_(std::int64_t(out.size())),
      target_rate_(target_rate),
      input_rate_(first.sample_rate),
      input_format_(first.format) {
  const int channels = first.ch_layout.nb_channels;
  if (channels <= 0 || input_rate_ <= 0)
    throw Error(ErrorCode::unsupported_format,
                "not usable audio: the decoder reported " + std::to_string(channels) + " channels at " +
                    std::to_string(input_rate_) + " Hz");
  // A layout of unknown order (WAV without a channel mask, raw codecs) is
  // still N channels to average; give it a concrete order so swr accepts it.
  if (first.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC)
    av_channel_layout_default(&input_layout_.value, channels);
  else if (av_channel_layout_copy(&input_layout_.value, &first.ch_layout) < 0)
    throw std::bad_alloc();

  const auto format = static_cast<AVSampleFormat>(input_format_);
  swr_ = make_swr(input_layout_.value, format, input_rate_, target_rate_, /*use_soxr=*/true);
  if (!swr_) swr_ = make_swr(input_layout_.value, format, input_rate_, target_rate_, /*use_soxr=*/false);
  if (!swr_) {
    const char* name = av_get_sample_fmt_name(format);
    throw Error(ErrorCode::unsupported_format,
                "cannot convert the decoded audio (" + std::to_string(channels) + " channels, " +
                    std::to_string(input_rate_) + " Hz, sample format " + (name ? name : "unknown") +
                    ") to " + std::to_string(target_rate_) + " Hz mono");
  }
}

bool MonoResampler::accepts(const AVFrame& frame) const {
  if (frame.format != input_format_ || frame.sample_rate != input_rate_) return false;
  if (frame.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC)
    return frame.ch_layout.nb_channels == input_layout_.value.nb_channels;
  return av_channel_layout_compare(&frame.ch_layout, &input_layout_.value) == 0;
}

void MonoResampler::push(const AVFrame& frame) {
  if (frame.nb_samples <= 0) return;
  const int capacity = swr_get_out_samples(swr_.get(), frame.nb_samples);
  if (capacity < 0) throw Error(ErrorCode::internal, "resampler: " + av_error_text(capacity));
  // Convert straight into the output's tail: no intermediate buffer per frame.
  const std::size_t old_size = out_.size();
  out_.resize(old_size + static_cast<std::size_t>(capacity));
  auto* dst = reinterpret_cast<std::uint8_t*>(out_.data() + old_size);
  const int produced = swr_convert(swr_.get(), &dst, capacity,
                                   const_cast<const std::uint8_t**>(frame.extended_data), frame.nb_samples);
  if (produced < 0) {
    out_.resize(old_size);
    throw Error(ErrorCode::internal, "resampler: " + av_error_text(produced));
  }
  out_.resize(old_size + static_cast<std::size_t>(produced));
  input_samples_ += frame.nb_samples;
}

void MonoResampler::finish() {
  constexpr int kChunk = 8192;
  for (;;) {
    const std::size_t old_size = out_.size();
    out_.resize(old_size + kChunk);
    auto* dst = reinterpret_cast<std::uint8_t*>(out_.data() + old_size);
    const int produced = swr_convert(swr_.get(), &dst, kChunk, nullptr, 0);
    out_.resize(old_size + static_cast<std::size_t>(std::max(produced, 0)));
    if (produced <= 0) break;
  }
  const std::int64_t expected =
      (input_samples_ * target_rate_ + input_rate_ - 1) / static_cast<std::int64_t>(input_rate_);
  out_.resize(static_cast<std::size_t>(segment_start_ + expected), 0.0f);
}

std::size_t MonoResampler::settled() const {
  const std::int64_t expected = input_samples_ * target_rate_ / static_cast<std::int64_t>(input_rate_);
  const std::int64_t produced = std::int64_t(out_.size()) - segment_start_;
  return static_cast<std::size_t>(std::max<std::int64_t>(0, segment_start_ + std::min(produced, expected)));
}

}  // namespace soundlens::audio_detail
