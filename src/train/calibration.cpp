#include "train/calibration.h"

#include <algorithm>
#include <cmath>

namespace soundlens {
namespace {

double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

// Mean cross-entropy under temperature t against smoothed targets (single-label, the negative class
// last): the truth gets (n + 1) / (n + 2) and the other classes share the rest, as Platt smooths his.
// Without it, files the head separates perfectly would drive t to zero and every later score to certainty.
double nll_at(const CalibrationData& d, int classes, double t) {
  const double n = double(d.scores.size());
  const double truth_share = (n + 1) / (n + 2);
  double sum = 0;
  for (std::size_t f = 0; f < d.scores.size(); ++f) {
    const auto& s = d.scores[f];
    double peak = -1e300;
    for (float v : s) peak = std::max(peak, double(v) / t);
    double z = 0;
    for (float v : s) z += std::exp(double(v) / t - peak);
    const double log_z = peak + std::log(z);
    const auto truth = std::size_t(d.truth[f].empty() ? classes : d.truth[f].front());
    const double other_share = s.size() > 1 ? (1 - truth_share) / double(s.size() - 1) : 0;
    for (std::size_t j = 0; j < s.size(); ++j)
      sum -= (j == truth ? truth_share : other_share) * (double(s[j]) / t - log_z);
  }
  return sum / std::max(1.0, n);
}

// Golden-section search of log T in [-4, 4]: the NLL is unimodal in T for a fixed set of scores.
double fit_temperature(const CalibrationData& d, int classes) {
  double lo = -4, hi = 4;
  const double g = (std::sqrt(5.0) - 1) / 2;
  double x1 = hi - g * (hi - lo), x2 = lo + g * (hi - lo);
  double f1 = nll_at(d, classes, std::exp(x1)), f2 = nll_at(d, classes, std::exp(x2));
  for (int i = 0; i < 80; ++i) {
    if (f1 < f2) {
      hi = x2, x2 = x1, f2 = f1;
      x1 = hi - g * (hi - lo), f1 = nll_at(d, classes, std::exp(x1));
    } else {
      lo = x1, x1 = x2, f1 = f2;
      x2 = lo + g * (hi - lo), f2 = nll_at(d, classes, std::exp(x2));
    }
  }
  return std::exp((lo + hi) / 2);
}

// Platt (1999) with Lin, Lin and Weng's (2007) Newton iterations and smoothed targets.
void fit_platt(const std::vector<double>& x, const std::vector<bool>& y, float& a_out, float& b_out) {
  double positives = 0;
  for (bool v : y) positives += v;
  const double negatives = double(y.size()) - positives;
  const double hi = (positives + 1) / (positives + 2), lo = 1 / (negatives + 2);
  // Cross-entropy against the smoothed targets, written to stay finite for large |a x + b|.
  auto loss = [&](double a, double b) {
    double sum = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double z = a * x[i] + b, t = y[i] ? hi : lo;
      sum += z >= 0 ? t * std::log1p(std::exp(-z)) + (1 - t) * (z + std::log1p(std::exp(-z)))
                    : t * (-z + std::log1p(std::exp(z))) + (1 - t) * std::log1p(std::exp(z));
    }
    return sum;
  };
  double a = 1, b = 0;  // p = sigmoid(a x + b)
  double current = loss(a, b);
  for (int iter = 0; iter < 100; ++iter) {
    double g_a = 0, g_b = 0, h_aa = 1e-12, h_ab = 0, h_bb = 1e-12;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double p = sigmoid(a * x[i] + b), t = y[i] ? hi : lo;
      const double d = p - t, w = p * (1 - p);
      g_a += d * x[i], g_b += d;
      h_aa += w * x[i] * x[i], h_ab += w * x[i], h_bb += w;
    }
    const double det = h_aa * h_bb - h_ab * h_ab;
    if (!(std::abs(det) > 1e-18)) break;
    const double da = (h_bb * g_a - h_ab * g_b) / det, db = (h_aa * g_b - h_ab * g_a) / det;
    // Backtracking: the full Newton step can overshoot far from the optimum.
    double step = 1;
    for (; step > 1e-10; step /= 2) {
      const double next = loss(a - step * da, b - step * db);
      if (next < current + 1e-4 * step * -(g_a * da + g_b * db)) {
        current = next;
        break;
      }
    }
    if (step <= 1e-10) break;
    a -= step * da, b -= step * db;
    if (std::abs(step * da) + std::abs(step * db) < 1e-9) break;
  }
  a_out = float(a), b_out = float(b);
}

}  // namespace

Calibration fit_calibration(const TrainedHead& head, const CalibrationData& d) {
  Calibration c;
  if (d.scores.empty()) return c;
  if (!head.multi_label) {
    c.temperature = fit_temperature(d, head.classes());
    return c;
  }
  return fit_platt(d, head.classes());
}

Calibration fit_platt(const CalibrationData& d, int classes) {
  Calibration c;
  for (int k = 0; k < classes; ++k) {
    std::vector<double> x;
    std::vector<bool> y;
    for (std::size_t f = 0; f < d.scores.size(); ++f) {
      x.push_back(d.scores[f][std::size_t(k)]);
      y.push_back(std::find(d.truth[f].begin(), d.truth[f].end(), k) != d.truth[f].end());
    }
    float a = 1, b = 0;
    fit_platt(x, y, a, b);
    c.a.push_back(a);
    c.b.push_back(b);
  }
  return c;
}

void apply_calibration(TrainedHead& head, const Calibration& c) {
  head.temperature = c.temperature;
  head.platt_a = c.a;
  head.platt_b = c.b;
}

std::vector<float> calibrated_probabilities(const TrainedHead& head, const std::vector<float>& scores,
                                            const Calibration& c) {
  auto logits = scores_to_logits(head, scores, c.temperature, c.a, c.b);
  for (auto& v : logits) v = float(sigmoid(v));
  return logits;
}

}  // namespace soundlens
