#include "robustness/perturbations.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <random>

namespace soundlens {
namespace {

constexpr double kPi = 3.14159265358979323846;

std::vector<float> white(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> g(0.0f, 1.0f);
  std::vector<float> v(n);
  for (auto& x : v) x = g(rng);
  return v;
}

// Paul Kellet's refined filter of white noise: -3 dB per octave within 0.05 dB over the audio band.
std::vector<float> pink(std::size_t n, std::uint64_t seed) {
  auto w = white(n, seed);
  double b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
  for (auto& x : w) {
    const double in = x;
    b0 = 0.99886 * b0 + in * 0.0555179;
    b1 = 0.99332 * b1 + in * 0.0750759;
    b2 = 0.96900 * b2 + in * 0.1538520;
    b3 = 0.86650 * b3 + in * 0.3104856;
    b4 = 0.55000 * b4 + in * 0.5329522;
    b5 = -0.7616 * b5 - in * 0.0168980;
    x = float(b0 + b1 + b2 + b3 + b4 + b5 + b6 + in * 0.5362);
    b6 = in * 0.115926;
  }
  return w;
}

// The recording's quietest second (by mean power, in 50 ms steps), repeated to its length
// with 50 ms cross-fades; nullopt when the recording is under 2 s or that second is silence.
std::optional<std::vector<float>> own_background(const std::vector<float>& s, int sr) {
  const std::size_t len = std::size_t(sr), step = std::size_t(sr / 20);
  if (s.size() < 2 * len) return std::nullopt;
  std::vector<double> prefix(s.size() + 1, 0.0);
  for (std::size_t i = 0; i < s.size(); ++i) prefix[i + 1] = prefix[i] + double(s[i]) * s[i];
  std::size_t best = 0;
  double best_power = 1e300;
  for (std::size_t start = 0; start + len <= s.size(); start += step) {
    const double p = prefix[start + len] - prefix[start];
    if (p < best_power) best_power = p, best = start;
  }
  if (best_power <= 0) return std::nullopt;
  std::vector<float> out(s.size());
  const std::size_t fade = step, period = len - fade;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::size_t k = i % period;
    float v = s[best + k];
    if (i >= period && k < fade) {  // cross-fade from the previous repeat's tail
      const float t = float(k) / float(fade);
      v = t * v + (1 - t) * s[best + period + k];
    }
    out[i] = v;
  }
  return out;
}

std::vector<float> add_at_snr(const std::vector<float>& s, std::vector<float> noise, double snr_db) {
  const double ps = mean_power(s), pn = mean_power(noise);
  const double scale = pn > 0 ? std::sqrt(ps / (pn * std::pow(10.0, snr_db / 10))) : 0;
  for (std::size_t i = 0; i < noise.size(); ++i) noise[i] = float(s[i] + scale * noise[i]);
  return noise;
}

std::vector<float> filtered(std::vector<float> s, std::initializer_list<Biquad> sections) {
  for (const auto& b : sections) b.run(s);
  return s;
}

}  // namespace

double mean_power(const std::vector<float>& s) {
  double sum = 0;
  for (float x : s) sum += double(x) * x;
  return s.empty() ? 0 : sum / double(s.size());
}

Biquad Biquad::low_pass(double f, int sr, double q) {
  const double w = 2 * kPi * f / sr, alpha = std::sin(w) / (2 * q), c = std::cos(w), a0 = 1 + alpha;
  return {(1 - c) / 2 / a0, (1 - c) / a0, (1 - c) / 2 / a0, -2 * c / a0, (1 - alpha) / a0};
}

Biquad Biquad::high_pass(double f, int sr, double q) {
  const double w = 2 * kPi * f / sr, alpha = std::sin(w) / (2 * q), c = std::cos(w), a0 = 1 + alpha;
  return {(1 + c) / 2 / a0, -(1 + c) / a0, (1 + c) / 2 / a0, -2 * c / a0, (1 - alpha) / a0};
}

void Biquad::run(std::vector<float>& s) const {
  double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
  for (auto& v : s) {
    const double x = v, y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    x2 = x1, x1 = x, y2 = y1, y1 = y;
    v = float(y);
  }
}

std::vector<Perturbation> standard_perturbations() {
  std::vector<Perturbation> list;
  for (const char* family : {"white noise", "pink noise", "own background"})
    for (double snr : {20.0, 10.0, 5.0, 0.0}) {
      const std::string short_name = family == std::string("white noise")  ? "white"
                                     : family == std::string("pink noise") ? "pink"
                                                                           : "own background";
      list.push_back({family, short_name + " " + std::to_string(int(snr)) + " dB", snr});
    }
  list.push_back({"channel", "telephone 300-3400 Hz", 0});
  list.push_back({"channel", "8 kHz sample rate", 0});
  list.push_back({"channel", "cheap microphone", 0});
  for (double db : {-20.0, -10.0, 10.0})
    list.push_back({"gain", "gain " + std::string(db > 0 ? "+" : "") + std::to_string(int(db)) + " dB", db});
  list.push_back({"gain", "clipped", 0});
  for (double s : {0.25, 0.5}) {
    char name[32];
    std::snprintf(name, sizeof name, "delayed %g s", s);
    list.push_back({"shift", name, s});
  }
  return list;
}

std::optional<std::vector<float>> perturb(const std::vector<float>& s, int sr, const Perturbation& p, std::uint64_t seed) {
  if (p.family == "white noise") return add_at_snr(s, white(s.size(), seed), p.level);
  if (p.family == "pink noise") return add_at_snr(s, pink(s.size(), seed), p.level);
  if (p.family == "own background") {
    auto background = own_background(s, sr);
    if (!background) return std::nullopt;
    return add_at_snr(s, std::move(*background), p.level);
  }
  if (p.condition == "telephone 300-3400 Hz")  // fourth-order band edges, as a handset's channel
    return filtered(s, {Biquad::high_pass(300, sr), Biquad::high_pass(300, sr), Biquad::low_pass(3400, sr),
                        Biquad::low_pass(3400, sr)});
  if (p.condition == "8 kHz sample rate")  // what an 8 kHz recording keeps: nothing above 4 kHz (eighth order)
    return filtered(s, {Biquad::low_pass(3800, sr, 0.54), Biquad::low_pass(3800, sr, 0.63),
                        Biquad::low_pass(3800, sr, 0.90), Biquad::low_pass(3800, sr, 2.56)});
  if (p.condition == "cheap microphone")  // small capsule: bass rolled off below 200 Hz, gentle top above 6 kHz
    return filtered(s, {Biquad::high_pass(200, sr), Biquad::low_pass(6000, sr, 0.6)});
  if (p.family == "gain" && p.condition == "clipped") {
    // Gain until 2 % of the samples reach full scale, then clipped there.
    std::vector<float> mags(s.size());
    std::transform(s.begin(), s.end(), mags.begin(), [](float v) { return std::abs(v); });
    auto at = mags.begin() + std::ptrdiff_t(double(mags.size()) * 0.98);
    std::nth_element(mags.begin(), at, mags.end());
    const float g = *at > 0 ? 1.0f / *at : 1.0f;
    std::vector<float> out(s.size());
    std::transform(s.begin(), s.end(), out.begin(), [g](float v) { return std::clamp(v * g, -1.0f, 1.0f); });
    return out;
  }
  if (p.family == "gain") {
    const float g = float(std::pow(10.0, p.level / 20));
    std::vector<float> out(s.size());
    std::transform(s.begin(), s.end(), out.begin(), [g](float v) { return std::clamp(v * g, -1.0f, 1.0f); });
    return out;
  }
  if (p.family == "shift") {  // the recording later by this much: the model's windows fall elsewhere on it
    std::vector<float> out(std::size_t(p.level * sr), 0.0f);
    out.insert(out.end(), s.begin(), s.end());
    return out;
  }
  return std::nullopt;
}

}  // namespace soundlens
