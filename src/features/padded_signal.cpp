#include "features/padded_signal.h"

namespace soundlens::features {

PaddedSignal::PaddedSignal(std::span<const float> x, int pad, int shift, double coefficient)
    : x_(x), n_(x.size() > std::size_t(shift) ? x.size() - shift : 0), pad_(pad), shift_(shift),
      coefficient_(coefficient) {}

double PaddedSignal::padded(std::int64_t p) const {
  const std::int64_t n = std::int64_t(n_);
  std::int64_t i = p - pad_;
  if (i >= 0 && i < n) return y(std::size_t(i));
  if (n <= 1) return 0.0;
  // Mirror about the first and last samples, as often as needed.
  const std::int64_t period = 2 * (n - 1);
  i %= period;
  if (i < 0) i += period;
  return y(std::size_t(i < n ? i : period - i));
}

void PaddedSignal::read(std::size_t start, int count, double* out) const {
  const bool inside = start >= std::size_t(pad_) && start + count <= std::size_t(pad_) + n_;
  if (inside) {
    const std::size_t first = start - pad_;
    for (int i = 0; i < count; ++i) out[i] = y(first + i);
    return;
  }
  for (int i = 0; i < count; ++i) out[i] = padded(std::int64_t(start) + i);
}

}  // namespace soundlens::features
