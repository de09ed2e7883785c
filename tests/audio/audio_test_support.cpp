#include "audio_test_support.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace soundlens::test {
namespace {

void put16(std::vector<std::uint8_t>& out, std::uint32_t v) {
  out.push_back(std::uint8_t(v & 0xff));
  out.push_back(std::uint8_t((v >> 8) & 0xff));
}
void put32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  put16(out, v & 0xffff);
  put16(out, v >> 16);
}
void put_tag(std::vector<std::uint8_t>& out, const char* tag) {
  for (int i = 0; i < 4; ++i) out.push_back(std::uint8_t(tag[i]));
}

}  // namespace

std::vector<float> sine(double freq, int rate, std::size_t count, double amplitude, double phase) {
  std::vector<float> x(count);
  for (std::size_t n = 0; n < count; ++n)
    x[n] = float(amplitude * std::sin(2 * kPi * freq * double(n) / rate + phase));
  return x;
}

std::vector<float> interleave(const std::vector<std::vector<float>>& channels) {
  const std::size_t frames = channels.at(0).size();
  std::vector<float> out;
  out.reserve(frames * channels.size());
  for (std::size_t n = 0; n < frames; ++n)
    for (const auto& ch : channels) out.push_back(ch.at(n));
  return out;
}

std::vector<std::uint8_t> wav_bytes(const std::vector<float>& interleaved, const WavSpec& spec) {
  const bool is_float = spec.sample == WavSample::f32;
  const std::uint32_t bytes_per_sample = is_float ? 4 : 2;
  const std::uint32_t data_size = std::uint32_t(interleaved.size() * bytes_per_sample);
  const bool extensible = spec.channel_mask != 0;
  const std::uint16_t natural_tag = is_float ? 3 : 1;
  const std::uint16_t tag = extensible ? 0xFFFE : (spec.format_tag ? spec.format_tag : natural_tag);
  const std::uint32_t fmt_size = extensible ? 40 : 16;

  std::vector<std::uint8_t> out;
  put_tag(out, "RIFF");
  put32(out, spec.unknown_length ? 0xFFFFFFFFu : 4 + 8 + fmt_size + 8 + data_size);
  put_tag(out, "WAVE");
  put_tag(out, "fmt ");
  put32(out, fmt_size);
  put16(out, tag);
  put16(out, std::uint32_t(spec.channels));
  put32(out, std::uint32_t(spec.rate));
  put32(out, std::uint32_t(spec.rate) * spec.channels * bytes_per_sample);
  put16(out, std::uint32_t(spec.channels) * bytes_per_sample);
  put16(out, bytes_per_sample * 8);
  if (extensible) {
    put16(out, 22);
    put16(out, bytes_per_sample * 8);
    put32(out, spec.channel_mask);
    // The sub-format GUID: the format tag followed by the fixed KSDATAFORMAT suffix.
    const std::uint8_t suffix[14] = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80,
                                     0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};
    put16(out, spec.format_tag ? spec.format_tag : natural_tag);
    for (std::uint8_t b : suffix) out.push_back(b);
  }
  put_tag(out, "data");
  put32(out, spec.unknown_length ? 0xFFFFFFFFu : data_size);
  for (float v : interleaved) {
    if (is_float) {
      std::uint32_t bits;
      std::memcpy(&bits, &v, 4);
      put32(out, bits);
    } else {
      const long q = std::lround(std::clamp(double(v), -1.0, 1.0) * 32767.0);
      put16(out, std::uint32_t(std::uint16_t(std::int16_t(q))));
    }
  }
  return out;
}

std::vector<std::uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path);
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "soundlens-audio-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

bool run_ffmpeg(const std::string& args) {
  const std::string command = "ffmpeg -nostdin -hide_banner -v error -y " + args + " </dev/null";
  return std::system(command.c_str()) == 0;
}

bool have_ffmpeg() {
  static const bool have = std::system("ffmpeg -version >/dev/null 2>&1") == 0;
  return have;
}

SineFit fit_sine(const std::vector<float>& x, int rate, double freq, std::size_t begin, std::size_t end) {
  // Normal equations of x ~ a sin + b cos, solved exactly (2x2).
  double ss = 0, cc = 0, sc = 0, xs = 0, xc = 0;
  for (std::size_t n = begin; n < end; ++n) {
    const double w = 2 * kPi * freq * double(n) / rate;
    const double s = std::sin(w), c = std::cos(w);
    ss += s * s, cc += c * c, sc += s * c, xs += x[n] * s, xc += x[n] * c;
  }
  const double det = ss * cc - sc * sc;
  const double a = (xs * cc - xc * sc) / det;
  const double b = (xc * ss - xs * sc) / det;
  SineFit fit;
  fit.amplitude = std::hypot(a, b);
  fit.phase = std::atan2(b, a);
  double err = 0;
  for (std::size_t n = begin; n < end; ++n) {
    const double w = 2 * kPi * freq * double(n) / rate;
    const double r = x[n] - (a * std::sin(w) + b * std::cos(w));
    err += r * r;
  }
  fit.residual_rms = std::sqrt(err / double(end - begin));
  return fit;
}

double zero_crossing_frequency(const std::vector<float>& x, int rate, std::size_t begin, std::size_t end) {
  std::size_t first = 0, last = 0, count = 0;
  for (std::size_t n = begin + 1; n < end; ++n) {
    if (x[n - 1] < 0 && x[n] >= 0) {
      if (count == 0) first = n;
      last = n;
      ++count;
    }
  }
  if (count < 2) return 0;
  return double(count - 1) * rate / double(last - first);
}

double rms(const std::vector<float>& x, std::size_t begin, std::size_t end) {
  double sum = 0;
  for (std::size_t n = begin; n < end; ++n) sum += double(x[n]) * x[n];
  return std::sqrt(sum / double(end - begin));
}

double max_abs_difference(const std::vector<float>& a, const std::vector<float>& b, std::size_t begin,
                          std::size_t end) {
  double worst = 0;
  for (std::size_t n = begin; n < end; ++n) worst = std::max(worst, std::abs(double(a[n]) - b[n]));
  return worst;
}

double phase_difference(double a, double b) {
  double d = std::fmod(a - b, 2 * kPi);
  if (d > kPi) d -= 2 * kPi;
  if (d <= -kPi) d += 2 * kPi;
  return d;
}

}  // namespace soundlens::test
