#pragma once
// A mel filterbank stored sparsely: each triangular filter touches only a
// few dozen of the 513 FFT bins, so a dense matmul would mostly multiply zeros.
#include <vector>

namespace soundlens::features {

struct MelFilter {
  int first_bin = 0;             // index of weights[0] in the power spectrum
  // The nonzero span of the filter: float values, as the models store their
  // banks, held as double so the inner product needs no conversions.
  std::vector<double> weights;
  double center_hz = 0;
};

class MelFilterbank {
 public:
  MelFilterbank() = default;
  // dense: n_mels rows of n_bins weights; only each row's nonzero span is kept.
  MelFilterbank(const std::vector<std::vector<double>>& dense, std::vector<double> center_hz);

  int n_mels() const { return int(filters_.size()); }
  int n_bins() const { return n_bins_; }
  const std::vector<MelFilter>& filters() const { return filters_; }
  std::vector<float> center_hz() const;

  // Weight of filter m at bin k (0 outside its span): for tests and reference checks.
  double weight(int mel, int bin) const;

  // out[m] = sum_k power[k] * w_m[k] for every filter m.
  void apply(const double* power, double* out) const;

 private:
  std::vector<MelFilter> filters_;
  int n_bins_ = 0;
};

}  // namespace soundlens::features
