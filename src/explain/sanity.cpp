#include "explain/sanity.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.h"
#include "model/randomised_copy.h"

namespace soundlens {
namespace {

constexpr double kPassBelow = 0.5;

// Ranks 1..n, ties given the mean of the ranks they span.
std::vector<double> ranks(std::span<const float> v) {
  std::vector<int> order(v.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return v[a] < v[b]; });
  std::vector<double> r(v.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
    const double mean_rank = (double(i) + double(j)) / 2 + 1;
    for (std::size_t k = i; k <= j; ++k) r[order[k]] = mean_rank;
    i = j + 1;
  }
  return r;
}

}  // namespace

double spearman(std::span<const float> a, std::span<const float> b) {
  if (a.size() != b.size()) throw Error(ErrorCode::internal, "spearman: maps of different sizes");
  const auto ra = ranks(a), rb = ranks(b);
  const double n = double(a.size());
  const double mean = (n + 1) / 2;
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < ra.size(); ++i) {
    const double da = ra[i] - mean, db = rb[i] - mean;
    sab += da * db, saa += da * da, sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0.0;
}

SanityCheck sanity_check(const Model& model, const MapWithModel& compute_map, int steps, std::uint64_t seed) {
  const auto cascade = randomisation_cascade(model);
  steps = std::clamp(steps, 1, int(cascade.size()));
  const CamMap original = compute_map(model);
  SanityCheck check;
  for (int s = 1; s <= steps; ++s) {
    const auto copy = randomised_copy(model, s, seed);
    const CamMap map = compute_map(*copy);
    if (map.values.size() != original.values.size())
      throw Error(ErrorCode::internal, "sanity check: the map changed size after randomisation");
    check.steps.push_back({cascade[s - 1], spearman(original.values, map.values)});
  }
  check.passed = std::abs(check.steps.back().spearman) < kPassBelow;
  return check;
}

}  // namespace soundlens
