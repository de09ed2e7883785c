#pragma once
// A small chart as a PNG: lines (or bars) of values over numbered or named
// positions, with a 0-1 value axis. Used for the reliability diagram of
// `soundlens evaluate` and the probability-against-perturbation figure of
// `soundlens robustness`.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace soundlens {

struct ChartSeries {
  std::string name;
  std::vector<double> y;  // one per position; NaN: no point there
  bool bars = false;
};

struct ChartSpec {
  std::string title, x_label, y_label;
  std::vector<std::string> positions;  // the x axis' labels, left to right
  std::vector<ChartSeries> series;
  bool diagonal = false;               // the y = x line over positions spread evenly from 0 to 1
  std::optional<double> reference;     // a dashed horizontal line (e.g. 0.5)
  std::vector<std::string> notes;      // lines of text under the title
};

// Error(bad_request) when a series' length differs from the positions'.
std::vector<std::uint8_t> chart_png(const ChartSpec& spec, int width = 900, int height = 520);

}  // namespace soundlens
