#include "features/centre_pad.h"

#include <algorithm>
#include <cstdint>

namespace soundlens::features {

namespace {

// Index into a signal of length n for any integer i, by repeated mirroring
// about the first and last samples (needs n >= 2).
std::size_t mirror_index(std::int64_t i, std::int64_t n) {
  const std::int64_t period = 2 * (n - 1);
  std::int64_t r = i % period;
  if (r < 0) r += period;
  return std::size_t(r < n ? r : period - r);
}

}  // namespace

std::vector<double> reflect_pad(std::span<const double> signal, int pad) {
  const std::int64_t n = std::int64_t(signal.size());
  std::vector<double> out(std::size_t(n + 2 * pad), 0.0);
  std::copy(signal.begin(), signal.end(), out.begin() + pad);
  if (n <= 1) return out;
  for (std::int64_t i = 1; i <= pad; ++i) {
    out[std::size_t(pad - i)] = signal[mirror_index(-i, n)];
    out[std::size_t(pad + n - 1 + i)] = signal[mirror_index(n - 1 + i, n)];
  }
  return out;
}

}  // namespace soundlens::features
