#pragma once
// Signals, WAV bytes, temporary files and signal measurements for the audio tests.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace soundlens::test {

constexpr double kPi = 3.14159265358979323846;

// amplitude * sin(2 pi f n / rate + phase), n = 0 .. count-1
std::vector<float> sine(double freq, int rate, std::size_t count, double amplitude, double phase = 0);

enum class WavSample { f32, s16 };

struct WavSpec {
  int rate = 44100;
  int channels = 1;
  WavSample sample = WavSample::f32;
  std::uint16_t format_tag = 0;      // 0: the natural tag for `sample`; else written as given
  std::uint32_t channel_mask = 0;    // non-zero: WAVE_FORMAT_EXTENSIBLE with this mask
  bool unknown_length = false;       // RIFF and data sizes 0xFFFFFFFF, as a streaming writer leaves them
};

// Interleaved samples (frames * channels) as a complete WAV file.
std::vector<std::uint8_t> wav_bytes(const std::vector<float>& interleaved, const WavSpec& spec);
std::vector<float> interleave(const std::vector<std::vector<float>>& channels);

std::vector<std::uint8_t> read_bytes(const std::string& path);
void write_bytes(const std::string& path, const std::vector<std::uint8_t>& bytes);

// A fresh directory, removed with everything in it when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

 private:
  std::filesystem::path dir_;
};

// Runs `ffmpeg -nostdin -v error -y <args>`; true on success.
bool run_ffmpeg(const std::string& args);
bool have_ffmpeg();

// Least-squares fit of a*sin + b*cos at `freq` over samples [begin, end).
struct SineFit {
  double amplitude = 0;
  double phase = 0;         // of a sine: x ~ amplitude * sin(w n + phase)
  double residual_rms = 0;  // of x minus the fitted sine
};
SineFit fit_sine(const std::vector<float>& x, int rate, double freq, std::size_t begin, std::size_t end);

// Frequency from the count of rising zero crossings over [begin, end).
double zero_crossing_frequency(const std::vector<float>& x, int rate, std::size_t begin, std::size_t end);

double rms(const std::vector<float>& x, std::size_t begin, std::size_t end);
double max_abs_difference(const std::vector<float>& a, const std::vector<float>& b, std::size_t begin,
                          std::size_t end);
// Wraps a phase difference into (-pi, pi].
double phase_difference(double a, double b);

}  // namespace soundlens::test
