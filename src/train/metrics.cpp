#include "train/metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace soundlens {
namespace {

constexpr int kBins = 10;
constexpr double kEps = 1e-7;

double safe_ratio(double a, double b) { return b > 0 ? a / b : 0; }
double f1_of(double p, double r) { return p + r > 0 ? 2 * p * r / (p + r) : 0; }

bool has(const std::vector<int>& truth, int c) { return std::find(truth.begin(), truth.end(), c) != truth.end(); }

// Mean precision at each positive, files ranked by the class's probability (ties: the positives last).
double average_precision(const std::vector<ScoredFile>& files, int c) {
  std::vector<std::size_t> order(files.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const float pa = files[a].probabilities[std::size_t(c)], pb = files[b].probabilities[std::size_t(c)];
    if (pa != pb) return pa > pb;
    return !has(files[a].truth, c) && has(files[b].truth, c);
  });
  double hits = 0, sum = 0;
  for (std::size_t k = 0; k < order.size(); ++k)
    if (has(files[order[k]].truth, c)) sum += ++hits / double(k + 1);
  return safe_ratio(sum, hits);
}

void add_to_bins(std::vector<ReliabilityBin>& bins, double confidence, bool correct) {
  const int b = std::clamp(int(confidence * kBins), 0, kBins - 1);
  auto& bin = bins[std::size_t(b)];
  ++bin.count;
  bin.confidence += confidence;
  bin.accuracy += correct ? 1 : 0;
}

}  // namespace

int predicted_class(const std::vector<float>& p, bool negative_class) {
  int best = 0;
  for (std::size_t c = 1; c < p.size(); ++c)
    if (p[c] > p[std::size_t(best)]) best = int(c);
  if (negative_class) {
    const double rest = 1.0 - std::accumulate(p.begin(), p.end(), 0.0);
    if (rest > p[std::size_t(best)]) return -1;
  }
  return best;
}

Metrics score_files(const std::vector<ScoredFile>& files, const std::vector<std::string>& labels, bool multi_label,
                    bool negative_class, double threshold) {
  const int classes = int(labels.size());
  Metrics m;
  std::vector<ReliabilityBin> bins(kBins);
  for (int b = 0; b < kBins; ++b) bins[std::size_t(b)].low = double(b) / kBins, bins[std::size_t(b)].high = double(b + 1) / kBins;
  const int cells = classes + (negative_class ? 1 : 0);
  if (!multi_label) m.confusion.assign(std::size_t(cells), std::vector<int>(std::size_t(cells), 0));
  const auto n_classes = static_cast<std::size_t>(classes);
  std::vector<double> tp(n_classes), fp(n_classes), fn(n_classes);
  double loss = 0, correct = 0;
  for (const auto& f : files) {
    if (multi_label) {
      for (int c = 0; c < classes; ++c) {
        const double p = std::clamp(double(f.probabilities[std::size_t(c)]), kEps, 1 - kEps);
        const bool truth = has(f.truth, c), predicted = p >= threshold;
        tp[std::size_t(c)] += truth && predicted;
        fp[std::size_t(c)] += !truth && predicted;
        fn[std::size_t(c)] += truth && !predicted;
        loss -= truth ? std::log(p) : std::log(1 - p);
        add_to_bins(bins, p, truth);  // each class's probability against its own truth
      }
      continue;
    }
    const int truth = f.truth.empty() ? -1 : f.truth.front();
    const int predicted = predicted_class(f.probabilities, negative_class);
    const double rest = 1.0 - std::accumulate(f.probabilities.begin(), f.probabilities.end(), 0.0);
    auto probability_of = [&](int c) { return c < 0 ? rest : double(f.probabilities[std::size_t(c)]); };
    const auto cell = [&](int c) { return std::size_t(c < 0 ? classes : c); };
    ++m.confusion[cell(truth)][cell(predicted)];
    correct += truth == predicted;
    loss -= std::log(std::clamp(probability_of(truth), kEps, 1.0));
    add_to_bins(bins, probability_of(predicted), truth == predicted);
    if (predicted == truth) {
      if (truth >= 0) ++tp[std::size_t(truth)];
    } else {
      if (predicted >= 0) ++fp[std::size_t(predicted)];
      if (truth >= 0) ++fn[std::size_t(truth)];
    }
  }
  double all_tp = 0, all_fp = 0, all_fn = 0;
  for (int c = 0; c < classes; ++c) {
    ClassMetrics cm;
    cm.label = labels[std::size_t(c)];
    cm.support = int(tp[std::size_t(c)] + fn[std::size_t(c)]);
    cm.precision = safe_ratio(tp[std::size_t(c)], tp[std::size_t(c)] + fp[std::size_t(c)]);
    cm.recall = safe_ratio(tp[std::size_t(c)], tp[std::size_t(c)] + fn[std::size_t(c)]);
    cm.f1 = f1_of(cm.precision, cm.recall);
    cm.average_precision = average_precision(files, c);
    m.macro_f1 += cm.f1 / classes;
    m.macro_average_precision += cm.average_precision / classes;
    all_tp += tp[std::size_t(c)], all_fp += fp[std::size_t(c)], all_fn += fn[std::size_t(c)];
    m.classes.push_back(cm);
  }
  m.micro_f1 = f1_of(safe_ratio(all_tp, all_tp + all_fp), safe_ratio(all_tp, all_tp + all_fn));
  const double n = double(files.size());
  m.accuracy = multi_label ? 0 : safe_ratio(correct, n);
  m.log_loss = safe_ratio(loss, multi_label ? n * classes : n);
  double total = 0;
  for (auto& bin : bins) {
    if (bin.count > 0) {
      bin.confidence /= bin.count;
      bin.accuracy /= bin.count;
    }
    total += bin.count;
  }
  for (const auto& bin : bins) m.ece += safe_ratio(bin.count, total) * std::abs(bin.confidence - bin.accuracy);
  m.reliability = bins;
  return m;
}

nlohmann::json metrics_json(const Metrics& m) {
  nlohmann::json classes = nlohmann::json::array();
  for (const auto& c : m.classes)
    classes.push_back({{"label", c.label},
                       {"support", c.support},
                       {"precision", c.precision},
                       {"recall", c.recall},
                       {"f1", c.f1},
                       {"average_precision", c.average_precision}});
  nlohmann::json bins = nlohmann::json::array();
  for (const auto& b : m.reliability)
    bins.push_back({{"low", b.low}, {"high", b.high}, {"count", b.count}, {"confidence", b.confidence}, {"accuracy", b.accuracy}});
  nlohmann::json j = {{"classes", classes},
                      {"macro_f1", m.macro_f1},
                      {"micro_f1", m.micro_f1},
                      {"macro_average_precision", m.macro_average_precision},
                      {"log_loss", m.log_loss},
                      {"ece", m.ece},
                      {"reliability", bins}};
  if (!m.confusion.empty()) {
    j["accuracy"] = m.accuracy;
    j["confusion"] = m.confusion;
  }
  return j;
}

}  // namespace soundlens
