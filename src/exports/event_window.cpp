#include "exports/event_window.h"

#include <algorithm>

namespace soundlens {

EventWindow event_window(double onset_s, double offset_s, double window_s, double duration_s) {
  duration_s = std::max(0.0, duration_s);
  onset_s = std::clamp(onset_s, 0.0, duration_s);
  offset_s = std::clamp(offset_s, onset_s, duration_s);
  const double length = std::min(duration_s, std::max(window_s, offset_s - onset_s));
  const double centre = (onset_s + offset_s) / 2;
  const double start = std::clamp(centre - length / 2, 0.0, duration_s - length);
  return {start, start + length};
}

}  // namespace soundlens
