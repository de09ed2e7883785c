#include "app/text_report.h"

#include <cstdio>

namespace soundlens {
namespace {

std::string bar(float probability, int width = 30) {
  std::string s;
  const int filled = int(probability * width + 0.5f);
  for (int i = 0; i < width; ++i) s += i < filled ? "#" : ".";
  return s;
}

std::string format(const char* fmt, auto... values) {
  char buffer[512];
  std::snprintf(buffer, sizeof buffer, fmt, values...);
  return buffer;
}

}  // namespace

void print_text_report(std::ostream& out, const std::string& file, const Analysis& a, const EventResult& events) {
  out << file << "\n"
      << format("  %s / %s, %d Hz, %d ch, %.2f s  ->  model %s\n", a.audio.container.c_str(), a.audio.codec.c_str(),
                a.audio.sample_rate, a.audio.channels, a.duration_s, a.model.c_str());
  out << "   #  index  class                                  probability\n";
  int rank = 1;
  for (const auto& p : a.predictions)
    out << format("  %2d  %5d  %-38.38s %.3f  %s\n", rank++, p.index, p.label.c_str(), p.probability,
                  bar(p.probability).c_str());
  if (a.timeline.size() > 1) {
    out << format("  timeline (%zu windows of %.1f s, hop %.1f s):\n", a.timeline.size(), a.window_s, a.hop_s);
    for (const auto& w : a.timeline) {
      const auto& top = w.predictions.front();
      out << format("    %7.1f - %7.1f s  %-32.32s %.3f\n", w.start_s, w.end_s, top.label.c_str(), top.probability);
    }
  }
  if (!a.explanations.empty()) {
    const auto& cam = a.explanations.front().cam;
    out << format("  map: %s on %s, score %s, %d x %d cells of %.2f s x %.0f mel bins\n", cam.method.c_str(),
                  cam.layer.c_str(), cam.score.c_str(), cam.rows, cam.cols, cam.seconds_per_column,
                  cam.mel_bins_per_row);
  }
  out << format("  events (%zu):\n", events.events.size());
  for (const auto& e : events.events)
    out << format("    %7.2f - %7.2f s  %-32.32s %.3f  %.0f-%.0f Hz\n", e.onset_s, e.offset_s, e.label.c_str(),
                  e.probability, e.low_hz, e.high_hz);
  for (const auto& c : events.counts)
    out << format("    %-32.32s %d (%.1f per hour)\n", c.label.c_str(), c.count, c.per_hour);
  out << "  timings (ms):";
  for (const auto& [stage, ms] : a.timings_ms) out << format(" %s %.1f", stage.c_str(), ms);
  out << "\n\n";
}

}  // namespace soundlens
