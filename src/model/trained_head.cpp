#include "model/trained_head.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.h"

namespace soundlens {

std::vector<float> head_scores(const TrainedHead& head, std::span<const float> embedding) {
  if (int(embedding.size()) != head.inputs())
    throw Error(ErrorCode::internal, "the head takes " + std::to_string(head.inputs()) + " values, not " +
                                         std::to_string(embedding.size()));
  std::vector<float> x(embedding.size());
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = (embedding[i] - head.mean[i]) * head.scale[i];
  for (std::size_t l = 0; l < head.layers.size(); ++l) {
    const auto& layer = head.layers[l];
    std::vector<float> y(std::size_t(layer.outputs));
    for (int o = 0; o < layer.outputs; ++o) {
      double sum = layer.bias[std::size_t(o)];
      const float* w = layer.weight.data() + std::size_t(o) * std::size_t(layer.inputs);
      for (int i = 0; i < layer.inputs; ++i) sum += double(w[i]) * x[std::size_t(i)];
      y[std::size_t(o)] = float(sum);
    }
    if (l + 1 < head.layers.size())
      for (auto& v : y) v = std::max(v, 0.0f);
    x = std::move(y);
  }
  return x;
}

std::vector<float> scores_to_logits(const TrainedHead& head, std::span<const float> scores, double temperature,
                                    std::span<const float> platt_a, std::span<const float> platt_b) {
  const int classes = head.classes();
  std::vector<float> logits(static_cast<std::size_t>(classes));
  if (head.multi_label) {
    for (int c = 0; c < classes; ++c) {
      const auto i = std::size_t(c);
      logits[i] = platt_a.empty() ? scores[i] : platt_a[i] * scores[i] + platt_b[i];
    }
    return logits;
  }
  // logit(softmax_i) = t_i - log(sum over j != i of exp(t_j)), computed stably.
  std::vector<double> t(scores.size());
  for (std::size_t j = 0; j < t.size(); ++j) t[j] = scores[j] / temperature;
  for (int c = 0; c < classes; ++c) {
    double peak = -std::numeric_limits<double>::infinity();
    for (std::size_t j = 0; j < t.size(); ++j)
      if (j != std::size_t(c)) peak = std::max(peak, t[j]);
    double sum = 0;
    for (std::size_t j = 0; j < t.size(); ++j)
      if (j != std::size_t(c)) sum += std::exp(t[j] - peak);
    logits[std::size_t(c)] = float(t[std::size_t(c)] - (peak + std::log(sum)));
  }
  return logits;
}

std::vector<float> head_logits(const TrainedHead& head, std::span<const float> embedding) {
  const auto s = head_scores(head, embedding);
  return scores_to_logits(head, s, head.temperature, head.platt_a, head.platt_b);
}

}  // namespace soundlens
