#include "audio/wav_writer.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <string>

#include "core/error.h"

namespace soundlens {
namespace {

void put_u16(std::vector<std::uint8_t>& out, std::uint32_t v) {
  out.push_back(std::uint8_t(v & 0xff));
  out.push_back(std::uint8_t((v >> 8) & 0xff));
}
void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  put_u16(out, v & 0xffff);
  put_u16(out, v >> 16);
}
void put_tag(std::vector<std::uint8_t>& out, const char* tag) { out.insert(out.end(), tag, tag + 4); }

// The 44-byte header of a WAV file (format 1 = PCM, 3 = IEEE float) with room for the data.
std::vector<std::uint8_t> wav_header(int format, int channels, int sample_rate, int bytes_per_sample,
                                     std::size_t frames) {
  if (sample_rate < 1 || sample_rate > 384000)
    throw Error(ErrorCode::bad_request, "WAV sample rate " + std::to_string(sample_rate) + " is not 1..384000");
  if (channels < 1 || channels > 64)
    throw Error(ErrorCode::bad_request, "WAV channel count " + std::to_string(channels) + " is not 1..64");
  constexpr std::uint64_t kHeader = 44, kMaxRiff = 0xffffffffULL;
  const std::uint32_t frame_bytes = std::uint32_t(channels * bytes_per_sample);
  const std::uint64_t data_bytes = std::uint64_t(frames) * frame_bytes;
  if (data_bytes + kHeader - 8 > kMaxRiff) throw Error(ErrorCode::bad_request, "too many samples for a WAV file");
  std::vector<std::uint8_t> out;
  out.reserve(kHeader + data_bytes);
  put_tag(out, "RIFF");
  put_u32(out, std::uint32_t(data_bytes + kHeader - 8));
  put_tag(out, "WAVE");
  put_tag(out, "fmt ");
  put_u32(out, 16);  // the plain format chunk
  put_u16(out, std::uint32_t(format));
  put_u16(out, std::uint32_t(channels));
  put_u32(out, std::uint32_t(sample_rate));
  put_u32(out, std::uint32_t(sample_rate) * frame_bytes);  // bytes per second
  put_u16(out, frame_bytes);
  put_u16(out, std::uint32_t(bytes_per_sample * 8));
  put_tag(out, "data");
  put_u32(out, std::uint32_t(data_bytes));
  return out;
}

}  // namespace

std::vector<std::uint8_t> encode_wav_pcm16(std::span<const float> samples, int sample_rate) {
  auto out = wav_header(1, 1, sample_rate, 2, samples.size());
  for (float s : samples) {
    // Full scale is 32768, as FFmpeg reads 16-bit PCM back (v / 32768); +1.0 clips to 32767.
    const double scaled = std::isnan(s) ? 0.0 : double(s) * 32768.0;
    const auto v = std::int16_t(std::lround(std::clamp(scaled, -32768.0, 32767.0)));
    put_u16(out, std::uint16_t(v));
  }
  return out;
}

std::vector<std::uint8_t> encode_wav_float32(std::span<const float> interleaved, int channels, int sample_rate) {
  if (channels < 1 || interleaved.size() % std::size_t(channels) != 0)
    throw Error(ErrorCode::bad_request, "the samples are not whole frames of " + std::to_string(channels) + " channels");
  auto out = wav_header(3, channels, sample_rate, 4, interleaved.size() / std::size_t(channels));
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(interleaved.data());
  static_assert(std::endian::native == std::endian::little, "WAV floats are little-endian");
  out.insert(out.end(), bytes, bytes + interleaved.size() * sizeof(float));
  return out;
}

}  // namespace soundlens
