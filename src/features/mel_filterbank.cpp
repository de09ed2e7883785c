#include "features/mel_filterbank.h"

#include <stdexcept>

namespace soundlens::features {

MelFilterbank::MelFilterbank(const std::vector<std::vector<double>>& dense, std::vector<double> center_hz) {
  if (dense.size() != center_hz.size()) throw std::invalid_argument("MelFilterbank: one centre per filter");
  n_bins_ = dense.empty() ? 0 : int(dense.front().size());
  filters_.reserve(dense.size());
  for (std::size_t m = 0; m < dense.size(); ++m) {
    const auto& row = dense[m];
    if (int(row.size()) != n_bins_) throw std::invalid_argument("MelFilterbank: ragged rows");
    int first = 0;
    int last = n_bins_ - 1;
    while (first < n_bins_ && row[first] == 0.0) ++first;
    while (last >= first && row[last] == 0.0) --last;
    MelFilter f;
    f.center_hz = center_hz[m];
    // An empty filter (narrower than one FFT bin) keeps first_bin = 0 and no
    // weights: its output is 0, exactly as the dense matrix would give.
    if (first <= last) {
      f.first_bin = first;
      for (int k = first; k <= last; ++k) f.weights.push_back(double(float(row[k])));
    }
    filters_.push_back(std::move(f));
  }
}

std::vector<float> MelFilterbank::center_hz() const {
  std::vector<float> out;
  out.reserve(filters_.size());
  for (const auto& f : filters_) out.push_back(float(f.center_hz));
  return out;
}

double MelFilterbank::weight(int mel, int bin) const {
  const auto& f = filters_.at(mel);
  const int i = bin - f.first_bin;
  return (i >= 0 && i < int(f.weights.size())) ? f.weights[i] : 0.0;
}

void MelFilterbank::apply(const double* power, double* out) const {
  for (std::size_t m = 0; m < filters_.size(); ++m) {
    const auto& f = filters_[m];
    const double* p = power + f.first_bin;
    double sum = 0.0;
    for (std::size_t i = 0; i < f.weights.size(); ++i) sum += p[i] * f.weights[i];
    out[m] = sum;
  }
}

}  // namespace soundlens::features
