#pragma once
// Internal to the render stage: where axis ticks go and how they read.
// Positions are in data units (seconds, fractional mel bin, value); turning
// them into pixels is the figure's job.
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace soundlens::render {

struct Tick {
  double at;  // data units
  std::string label;
};

// Past two minutes, "125 s" reads worse than "2:05".
inline bool time_axis_uses_minutes(double duration_s) { return duration_s > 120.0; }

// Candidate tick steps in seconds, smallest first: 1-2-5 decades, and
// clock-friendly steps (15 s, 30 s, 1 min, ...) when the axis shows minutes.
std::vector<double> time_step_candidates(double duration_s);

// Ticks at 0, step, 2*step, ... up to duration_s.
std::vector<Tick> time_ticks(double duration_s, double step_s);

// "0", "2.5", "0.05" for seconds; "1:30", "1:00:00" for minutes.
std::string format_time(double t_s, double step_s, bool minutes);

// Frequencies worth labelling on a mel axis, most useful first, so that a
// crowded axis keeps the informative ones.
std::span<const double> frequency_tick_preference();

// "250", "1k", "15k".
std::string format_hz(double hz);

// Fractional mel-bin index of hz (0 = centre of the lowest bin), by
// interpolating the bins' centre frequencies on the mel scale. nullopt when
// hz lies outside the centres.
std::optional<double> mel_bin_position(std::span<const float> center_hz, double hz);

// 1-2-5 ticks covering [lo, hi], at most about max_ticks of them.
std::vector<Tick> value_ticks(double lo, double hi, int max_ticks);

}  // namespace soundlens::render
