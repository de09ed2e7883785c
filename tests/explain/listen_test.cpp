// Listening: the inverse real FFT and the resynthesis STFT against direct
// sums, the map as a soft mask (a map of ones gives the input back; a map of
// the rows holding 1 kHz keeps a 1 kHz tone and drops white noise), and the
// 16-bit WAV bytes read back by hand and by FFmpeg.
#include "explain/listen.h"

#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <cstring>
#include <numbers>
#include <random>

#include "audio/audio.h"
#include "audio/wav_writer.h"
#include "core/error.h"
#include "features/inverse_real_fft.h"
#include "features/mel_filterbank.h"
#include "features/resynthesis_stft.h"

namespace soundlens::test {
namespace {

constexpr int kRate = 32000;

std::vector<float> noise(std::size_t n, float amplitude, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> g(0.0f, amplitude);
  std::vector<float> x(n);
  for (auto& v : x) v = g(rng);
  return x;
}

TEST(InverseRealFft, MatchesTheDirectSum) {
  for (int n : {8, 16, 1024}) {
    std::mt19937 rng(n);
    std::normal_distribution<double> g;
    std::vector<std::complex<double>> bins(n / 2 + 1);
    for (auto& b : bins) b = {g(rng), g(rng)};
    bins[0].imag(0), bins[n / 2].imag(0);
    features::InverseRealFft inverse(n);
    auto scratch = inverse.make_scratch();
    std::vector<double> out(n);
    inverse.inverse(bins.data(), out.data(), scratch);
    for (int t = 0; t < n; ++t) {
      std::complex<double> sum = 0;
      for (int k = 0; k < n; ++k) {
        const auto x = k <= n / 2 ? bins[k] : std::conj(bins[n - k]);
        sum += x * std::polar(1.0, 2 * std::numbers::pi * k * t / n);
      }
      EXPECT_NEAR(out[t], sum.real() / n, 1e-12) << "n " << n << " t " << t;
    }
  }
}

TEST(ResynthesisStft, ReconstructsAnyLength) {
  const features::ResynthesisStft stft(1024, 256);
  for (std::size_t n : {1u, 255u, 1000u, 32017u}) {
    const auto x = noise(n, 0.3f, unsigned(n));
    const auto spectrum = stft.analyse(x);
    ASSERT_EQ(spectrum.frames, int(n / 256) + 1);
    const auto y = stft.synthesise(spectrum, n);
    ASSERT_EQ(y.size(), n);
    for (std::size_t i = 0; i < n; ++i) ASSERT_NEAR(y[i], x[i], 1e-5) << "n " << n << " sample " << i;
  }
}

CamMap map_of(int rows, int cols, double mel_bins_per_row, float value) {
  CamMap m;
  m.class_index = 0;
  m.rows = rows;
  m.cols = cols;
  m.frames_per_column = 32;
  m.seconds_per_column = 0.32;
  m.mel_bins_per_row = mel_bins_per_row;
  m.values.assign(std::size_t(rows) * cols, value);
  return m;
}

TEST(Listen, AMapOfOnesGivesTheInputBack) {
  const auto frontend = make_efficientat_frontend();
  auto x = noise(3 * kRate + 123, 0.2f, 3);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] += 0.3f * float(std::sin(2 * std::numbers::pi * 440 * i / kRate));
  const auto out = listen(x, map_of(4, 10, 32, 1.0f), *frontend);
  ASSERT_EQ(out.kept.size(), x.size());
  EXPECT_EQ(out.sample_rate, kRate);
  for (std::size_t i = 0; i < x.size(); ++i) {
    ASSERT_NEAR(out.kept[i], x[i], 1e-4) << i;
    ASSERT_NEAR(out.removed[i], 0.0f, 1e-4) << i;
  }
}

// Least-squares amplitude of a sinusoid at hz over the middle of x, and the energy left after removing it.
std::pair<double, double> tone_and_rest(const std::vector<float>& x, double hz) {
  const std::size_t first = x.size() / 4, last = 3 * x.size() / 4;
  double sc = 0, ss = 0, cc = 0, nn = 0, xs = 0, xc = 0;
  for (std::size_t i = first; i < last; ++i) {
    const double p = 2 * std::numbers::pi * hz * double(i) / kRate, s = std::sin(p), c = std::cos(p);
    xs += x[i] * s, xc += x[i] * c, ss += s * s, cc += c * c, sc += s * c;
  }
  const double a = xs / ss, b = xc / cc;  // sin and cos are orthogonal over whole seconds here
  for (std::size_t i = first; i < last; ++i) {
    const double p = 2 * std::numbers::pi * hz * double(i) / kRate;
    const double r = x[i] - a * std::sin(p) - b * std::cos(p);
    nn += r * r;
  }
  (void)sc;
  return {(a * a + b * b) / 2 * double(last - first), nn};
}

TEST(Listen, RowsHolding1kHzKeepTheToneAndDropTheNoise) {
  const auto frontend = make_efficientat_frontend();
  const int n = 4 * kRate;
  auto x = noise(n, 0.1f, 5);
  std::vector<float> tone(n);
  for (int i = 0; i < n; ++i) tone[i] = 0.3f * float(std::sin(2 * std::numbers::pi * 1000 * i / kRate));
  for (int i = 0; i < n; ++i) x[i] += tone[i];
  // 16 rows of 8 mel bins; mark the rows whose filters touch the 1 kHz bin (1000 / 31.25 = bin 32).
  auto map = map_of(16, 13, 8, 0.0f);
  const auto& bank = *frontend->mel_filterbank();
  int marked = 0;
  for (int r = 0; r < map.rows; ++r) {
    bool holds = false;
    for (int m = r * 8; m < (r + 1) * 8; ++m) holds = holds || bank.weight(m, 32) > 0;
    if (holds)
      for (int c = 0; c < map.cols; ++c) map.values[std::size_t(r) * map.cols + c] = 1.0f, ++marked;
  }
  ASSERT_GT(marked, 0);
  ASSERT_LT(marked, 3 * map.cols);
  const auto out = listen(x, map, *frontend);
  const auto [tone_in, noise_in] = tone_and_rest(x, 1000);
  const auto [tone_kept, noise_kept] = tone_and_rest(out.kept, 1000);
  const auto [tone_removed, noise_removed] = tone_and_rest(out.removed, 1000);
  std::printf("tone energy kept %.4f removed %.4f; noise energy kept %.4f removed %.4f (fractions of the input's)\n",
              tone_kept / tone_in, tone_removed / tone_in, noise_kept / noise_in, noise_removed / noise_in);
  EXPECT_GT(tone_kept / tone_in, 0.95);
  EXPECT_LT(noise_kept / noise_in, 0.05);
  EXPECT_LT(tone_removed / tone_in, 0.01);
  EXPECT_GT(noise_removed / noise_in, 0.9);
}

TEST(Listen, RemovedIsTheSynthesisUnderOneMinusTheMask) {
  const auto frontend = make_efficientat_frontend();
  const auto x = noise(kRate + 77, 0.2f, 11);
  auto map = map_of(4, 4, 32, 0.0f);
  for (std::size_t i = 0; i < map.values.size(); ++i) map.values[i] = float(i % 5) / 4;
  const auto out = listen(x, map, *frontend);
  const features::ResynthesisStft stft(1024, 256);
  auto spectrum = stft.analyse(x), inverse = spectrum;
  const auto mask = listening_mask(map, *frontend, spectrum.frames, 256);
  for (std::size_t i = 0; i < mask.size(); ++i) spectrum.values[i] *= mask[i], inverse.values[i] *= 1 - mask[i];
  const auto kept = stft.synthesise(spectrum, x.size()), removed = stft.synthesise(inverse, x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    ASSERT_NEAR(out.kept[i], kept[i], 1e-6) << i;
    ASSERT_NEAR(out.removed[i], removed[i], 1e-5) << i;
  }
}

TEST(Listen, MaskFollowsColumnsInTime) {
  const auto frontend = make_efficientat_frontend();
  auto map = map_of(4, 3, 32, 0.0f);
  for (int r = 0; r < 4; ++r) map.values[std::size_t(r) * 3 + 1] = 1.0f;  // only the middle column (0.32 - 0.64 s)
  const int frames = 1 + 30000 / 256;
  const auto mask = listening_mask(map, *frontend, frames, 256);
  const int bins = 513;
  for (int t = 0; t < frames; ++t) {
    const double fe_frame = std::round(t * 256 / 320.0);
    const float expected = (fe_frame >= 32 && fe_frame < 64) ? 1.0f : 0.0f;
    for (int k = 0; k < bins; ++k) ASSERT_NEAR(mask[std::size_t(t) * bins + k], expected, 1e-6) << t << " " << k;
  }
}

TEST(Listen, MaskFollowsEveryRowOfAFineMap) {
  // 128 rows of one mel bin (integrated gradients' resolution): keeping one row keeps only the linear bins
  // its filter touches, not a quarter of the spectrum.
  const auto frontend = make_efficientat_frontend();
  const auto& bank = *frontend->mel_filterbank();
  const int row = 40, bins = bank.n_bins();
  auto map = map_of(128, 2, 1, 0.0f);
  map.values[std::size_t(row) * 2] = map.values[std::size_t(row) * 2 + 1] = 1.0f;
  const auto mask = listening_mask(map, *frontend, 10, 256);
  int touched = 0;
  for (int k = 0; k < bins; ++k) {
    const bool in_filter = bank.weight(row, k) > 0;
    touched += in_filter;
    if (!in_filter) ASSERT_EQ(mask[std::size_t(k)], 0.0f) << "bin " << k;
    else ASSERT_GT(mask[std::size_t(k)], 0.0f) << "bin " << k;
  }
  EXPECT_GT(touched, 0);
  EXPECT_LT(touched, bins / 32);
}

TEST(Listen, BadInput) {
  const auto frontend = make_efficientat_frontend();
  const std::vector<float> x(1000, 0.1f);
  EXPECT_THROW(listen({}, map_of(4, 1, 32, 1), *frontend), Error);
  auto bad = map_of(4, 1, 32, 1);
  bad.values.pop_back();
  EXPECT_THROW(listen(x, bad, *frontend), Error);
  EXPECT_THROW(listen(x, map_of(4, 1, 16, 1), *frontend), Error);  // rows do not cover the bins
}

std::uint32_t u32(const std::vector<std::uint8_t>& b, std::size_t at) {
  return b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (std::uint32_t(b[at + 3]) << 24);
}
std::uint16_t u16(const std::vector<std::uint8_t>& b, std::size_t at) {
  return std::uint16_t(b[at] | (b[at + 1] << 8));
}

TEST(Wav, BytesParseBack) {
  std::vector<float> x = noise(kRate / 2, 0.2f, 9);
  x[0] = 1.5f, x[1] = -2.0f, x[2] = std::nanf(""), x[3] = 1.0f, x[4] = -1.0f;
  const auto bytes = encode_wav_pcm16(x, kRate);
  ASSERT_EQ(bytes.size(), 44 + 2 * x.size());
  EXPECT_EQ(std::memcmp(bytes.data(), "RIFF", 4), 0);
  EXPECT_EQ(u32(bytes, 4), bytes.size() - 8);
  EXPECT_EQ(std::memcmp(bytes.data() + 8, "WAVEfmt ", 8), 0);
  EXPECT_EQ(u16(bytes, 20), 1);       // PCM
  EXPECT_EQ(u16(bytes, 22), 1);       // mono
  EXPECT_EQ(u32(bytes, 24), 32000u);  // rate
  EXPECT_EQ(u16(bytes, 34), 16);      // bits
  EXPECT_EQ(std::memcmp(bytes.data() + 36, "data", 4), 0);
  EXPECT_EQ(u32(bytes, 40), 2 * x.size());
  auto sample = [&](std::size_t i) { return std::int16_t(u16(bytes, 44 + 2 * i)); };
  EXPECT_EQ(sample(0), 32767);
  EXPECT_EQ(sample(1), -32768);
  EXPECT_EQ(sample(2), 0);
  EXPECT_EQ(sample(3), 32767);
  EXPECT_EQ(sample(4), -32768);
  for (std::size_t i = 5; i < x.size(); ++i) ASSERT_NEAR(sample(i) / 32768.0, x[i], 0.5 / 32768 + 1e-7) << i;
  // FFmpeg reads the same samples back at the same rate (no resampling).
  const auto decoded = decode_memory(bytes);
  EXPECT_EQ(decoded.source.codec, "pcm_s16le");
  EXPECT_EQ(decoded.source.sample_rate, kRate);
  ASSERT_EQ(decoded.samples.size(), x.size());
  for (std::size_t i = 5; i < x.size(); ++i) ASSERT_NEAR(decoded.samples[i], x[i], 0.5 / 32768 + 1e-7) << i;
  EXPECT_THROW(encode_wav_pcm16(x, 0), Error);
}

}  // namespace
}  // namespace soundlens::test
