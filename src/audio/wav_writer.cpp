#include "audio/wav_writer.h"

#include <algorithm>
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

}  // namespace

std::vector<std::uint8_t> encode_wav_pcm16(std::span<const float> samples, int sample_rate) {
  if (sample_rate < 1 || sample_rate > 384000)
    throw Error(ErrorCode::bad_request, "WAV sample rate " + std::to_string(sample_rate) + " is not 1..384000");
  constexpr std::uint64_t kHeader = 44, kMaxRiff = 0xffffffffULL;
  const std::uint64_t data_bytes = std::uint64_t(samples.size()) * 2;
  if (data_bytes + kHeader - 8 > kMaxRiff) throw Error(ErrorCode::bad_request, "too many samples for a WAV file");
  std::vector<std::uint8_t> out;
  out.reserve(kHeader + data_bytes);
  put_tag(out, "RIFF");
  put_u32(out, std::uint32_t(data_bytes + kHeader - 8));
  put_tag(out, "WAVE");
  put_tag(out, "fmt ");
  put_u32(out, 16);  // PCM format chunk
  put_u16(out, 1);   // PCM
  put_u16(out, 1);   // mono
  put_u32(out, std::uint32_t(sample_rate));
  put_u32(out, std::uint32_t(sample_rate) * 2);  // bytes per second
  put_u16(out, 2);                               // bytes per frame
  put_u16(out, 16);                              // bits per sample
  put_tag(out, "data");
  put_u32(out, std::uint32_t(data_bytes));
  for (float s : samples) {
    // Full scale is 32768, as FFmpeg reads 16-bit PCM back (v / 32768); +1.0 clips to 32767.
    const double scaled = std::isnan(s) ? 0.0 : double(s) * 32768.0;
    const auto v = std::int16_t(std::lround(std::clamp(scaled, -32768.0, 32767.0)));
    put_u16(out, std::uint16_t(v));
  }
  return out;
}

}  // namespace soundlens
