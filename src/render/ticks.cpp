#include "render/ticks.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace soundlens::render {
namespace {

double mel(double hz) { return 1127.0 * std::log1p(hz / 700.0); }

// Decimal places needed to tell ticks `step` apart.
int decimals_for(double step) {
  int d = 0;
  for (double scaled = step; d < 6 && std::fabs(scaled - std::round(scaled)) > 1e-6 * scaled; ++d)
    scaled *= 10;
  return d;
}

std::string printf_string(const char* fmt, double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, decimals, v);
  return buf;
}

}  // namespace

std::vector<double> time_step_candidates(double duration_s) {
  std::vector<double> steps;
  if (time_axis_uses_minutes(duration_s)) {
    for (double s : {1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0,
                     3600.0, 7200.0, 18000.0, 36000.0})
      steps.push_back(s);
    return steps;
  }
  for (double decade = 1e-3; decade <= 1e3; decade *= 10)
    for (double m : {1.0, 2.0, 5.0}) steps.push_back(m * decade);
  return steps;
}

std::vector<Tick> time_ticks(double duration_s, double step_s) {
  std::vector<Tick> ticks;
  if (!(duration_s > 0) || !(step_s > 0)) return ticks;
  const bool minutes = time_axis_uses_minutes(duration_s);
  // The tolerance keeps the last tick when duration is an exact multiple of
  // the step but floating point lands a hair short.
  const long n = long(std::floor(duration_s / step_s + 1e-6));
  for (long i = 0; i <= n; ++i) {
    const double t = double(i) * step_s;
    ticks.push_back({t, format_time(t, step_s, minutes)});
  }
  return ticks;
}

std::string format_time(double t_s, double step_s, bool minutes) {
  if (!minutes) return printf_string("%.*f", t_s, decimals_for(step_s));
  const long total = std::lround(t_s);
  char buf[32];
  if (total >= 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", total / 3600, total / 60 % 60, total % 60);
  else
    std::snprintf(buf, sizeof buf, "%ld:%02ld", total / 60, total % 60);
  return buf;
}

std::span<const double> frequency_tick_preference() {
  static constexpr double kHz[] = {1000, 4000, 250, 8000, 2000, 500, 100, 15000, 50, 12000};
  return kHz;
}

std::string format_hz(double hz) {
  if (hz < 1000) return printf_string("%.*f", hz, 0);
  const double k = hz / 1000.0;
  return printf_string("%.*fk", k, std::fabs(k - std::round(k)) < 1e-9 ? 0 : 1);
}

std::optional<double> mel_bin_position(std::span<const float> center_hz, double hz) {
  if (center_hz.empty() || hz < center_hz.front() || hz > center_hz.back()) return std::nullopt;
  if (center_hz.size() == 1) return 0.0;
  const auto hi = std::upper_bound(center_hz.begin(), center_hz.end(), float(hz));
  if (hi == center_hz.end()) return double(center_hz.size() - 1);
  const std::size_t i = std::size_t(hi - center_hz.begin()) - 1;
  const double m0 = mel(center_hz[i]), m1 = mel(center_hz[i + 1]);
  const double frac = m1 > m0 ? (mel(hz) - m0) / (m1 - m0) : 0.0;
  return double(i) + frac;
}

std::vector<Tick> value_ticks(double lo, double hi, int max_ticks) {
  std::vector<Tick> ticks;
  if (!(hi > lo) || max_ticks < 2) return ticks;
  const double rough = (hi - lo) / double(max_ticks - 1);
  const double decade = std::pow(10.0, std::floor(std::log10(rough)));
  double step = decade * 10;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * decade >= rough * (1 - 1e-9)) {
      step = m * decade;
      break;
    }
  const int decimals = decimals_for(step);
  for (double v = std::ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) {
    const double clean = std::fabs(v) < step * 1e-9 ? 0.0 : v;  // no "-0"
    ticks.push_back({clean, printf_string("%.*f", clean, decimals)});
  }
  return ticks;
}

}  // namespace soundlens::render
