#include "analysis/windowing.h"

namespace soundlens {

std::vector<WindowSpan> plan_windows(std::size_t total, std::size_t window_samples, std::size_t hop_samples) {
  if (total <= window_samples || hop_samples == 0) return {{0, total}};
  std::vector<WindowSpan> spans;
  std::size_t start = 0;
  for (; start + window_samples < total; start += hop_samples) spans.push_back({start, window_samples});
  const std::size_t last = total - window_samples;
  if (spans.back().start != last) spans.push_back({last, window_samples});
  return spans;
}

}  // namespace soundlens
