// Integrated gradients (Sundararajan et al. 2017) on the log-mel input at full
// resolution (one cell per mel bin and frame). The baseline is the model's
// silence in its own feature domain (ModelInfo::silence_floor). The path
// integral uses the trapezoid rule over m steps: gradients at baseline + k/m
// (x - baseline), k = 0..m (the two ends weighted 1/2), batched.
// Attribution = (x - baseline) * the weighted mean gradient. The map shows the
// positive attributions (evidence for the score); the completeness error
// |sum attributions - (f(x) - f(baseline))| / |f(x) - f(baseline)| is computed
// on the signed ones.
//
// The integrand is rough (ReLU / hard-swish kinks): on a real cough 32 steps
// leave a 1.6% completeness error (7.7% for Cough - Throat clearing), and it
// does not fall steadily with m. So m starts at `steps` and is doubled, reusing
// every gradient already computed (the new points are the midpoints), until
// the error is under `target_error` or m reaches `max_steps`.
#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "explain/detail/methods.h"
#include "explain/detail/torch_explain.h"
#include "model/detail/layers.h"
#include "model/inference_workers.h"

namespace soundlens {
namespace {

class IntegratedGradients : public ExplanationMethod {
 public:
  IntegratedGradients(int steps, int batch, int max_steps, double target_error)
      : steps_(steps), batch_(batch), max_steps_(max_steps), target_error_(target_error) {
    if (steps < 1 || batch < 0 || max_steps < steps)
      throw Error(ErrorCode::bad_request, "integrated gradients needs 1 <= steps <= max_steps");
  }
  std::string name() const override { return "integrated-gradients"; }
  std::vector<std::string> layers(const ModelInfo&) const override { return {"input"}; }

  std::vector<std::vector<CamGrid>> compute(const Model& model, const ForwardPass& pass,
                                            std::span<const MelSpectrogram> windows,
                                            std::span<const ExplainTarget> targets,
                                            const CancelToken* cancel) const override {
    const auto& info = model.info();
    detail::check_targets(targets, info.num_classes);
    const auto& tp = detail::torch_pass(pass, name());
    const auto& net = detail::staged_network(tp, name());
    const auto input = detail::stack_spectrograms(windows);
    if (input.size(0) != tp.windows()) throw Error(ErrorCode::internal, "windows and pass differ");
    const auto baseline = torch::full_like(input[0], info.silence_floor);
    constexpr int64_t kBatchFrames = 3000;
    const size_t batch = batch_ > 0 ? size_t(batch_) : size_t(std::max<int64_t>(1, kBatchFrames / input.size(2)));
    torch::Tensor baseline_logits;  // on one intra-op thread as the points are, whatever the caller's count
    for_each_piece_side_by_side(1, [&](int) {
      torch::NoGradGuard no_grad;
      baseline_logits = detail::run_stages(net, 0, baseline.unsqueeze(0), {}).logits;
    });
    std::vector<std::vector<CamGrid>> out(targets.size());
    for (int64_t w = 0; w < input.size(0); ++w) {
      const auto delta = input[w] - baseline;
      std::vector<Path> paths(targets.size());
      for (size_t t = 0; t < targets.size(); ++t)
        paths[t].difference =
            detail::target_score(tp.logits_tensor().slice(0, w, w + 1), targets[t]).item<double>() -
            detail::target_score(baseline_logits, targets[t]).item<double>();
      // Level m = steps_: all points k/m, the ends weighted 1/2.
      std::vector<double> alphas, weights;
      for (int k = 0; k <= steps_; ++k) {
        alphas.push_back(double(k) / steps_);
        weights.push_back(k == 0 || k == steps_ ? 0.5 : 1.0);
      }
      std::vector<size_t> active(targets.size());
      for (size_t t = 0; t < active.size(); ++t) active[t] = t;
      for (int m = steps_;; m *= 2) {
        add_gradients(net, baseline, delta, alphas, weights, targets, active, paths, batch, cancel);
        std::vector<size_t> still;
        for (size_t t : active) {
          paths[t].steps = m;
          paths[t].error = completeness(paths[t], delta);
          if (paths[t].error > target_error_) still.push_back(t);
        }
        if (still.empty() || m * 2 > max_steps_) break;
        active = still;
        alphas.clear();
        weights.assign(size_t(m), 1.0);
        for (int k = 0; k < m; ++k) alphas.push_back((k + 0.5) / m);  // the midpoints: level 2m
      }
      torch::NoGradGuard no_grad;
      for (size_t t = 0; t < targets.size(); ++t) {
        const auto attributions = (delta.to(torch::kDouble) * paths[t].sum / paths[t].steps).to(torch::kFloat);
        auto grid = detail::to_grids(torch::relu(attributions).unsqueeze(0), 1, 1).front();
        grid.completeness_error = paths[t].error;
        out[t].push_back(std::move(grid));
      }
    }
    return out;
  }

  // At most max_steps + 1 points, each a forward and a backward pass.
  double passes_per_window(const MelSpectrogram&) const override { return 3.0 * (max_steps_ + 1); }

 private:
  int steps_, batch_, max_steps_;
  double target_error_;

  struct Path {
    torch::Tensor sum;  // sum of the trapezoid-weighted gradients (double), mels x frames
    int steps = 0;      // the current m: the integral is sum / m
    double difference = 0;
    double error = 0;  // the completeness error at the last level computed (it ends there)
  };

  // In a plain loop: the same sum whatever the intra-op thread count.
  static double completeness(const Path& p, const torch::Tensor& delta) {
    const auto d = delta.contiguous();
    const auto s = p.sum.contiguous();
    const float* dv = d.data_ptr<float>();
    const double* sv = s.data_ptr<double>();
    double total = 0;
    for (int64_t i = 0; i < d.numel(); ++i) total += double(dv[i]) * sv[i];
    total /= p.steps;
    return std::abs(total - p.difference) / std::max(std::abs(p.difference), 1e-12);
  }

  // Adds weight * gradient at baseline + alpha * delta to the active targets' sums, batch points per
  // pass. The batches run side by side (for_each_piece_side_by_side); their sums are added in batch
  // order, so the result does not depend on how many ran at once.
  void add_gradients(const detail::StagedNetwork& net, const torch::Tensor& baseline, const torch::Tensor& delta,
                     const std::vector<double>& alphas, const std::vector<double>& weights,
                     std::span<const ExplainTarget> targets, const std::vector<size_t>& active,
                     std::vector<Path>& paths, size_t batch, const CancelToken* cancel) const {
    const int batches = int((alphas.size() + batch - 1) / batch);
    std::vector<std::vector<torch::Tensor>> sums(size_t(batches), std::vector<torch::Tensor>(active.size()));
    for_each_piece_side_by_side(batches, [&](int b) {
      check_cancel(cancel);
      const size_t first = size_t(b) * batch, n = std::min(batch, alphas.size() - first);
      auto a = torch::tensor(std::vector<double>(alphas.begin() + long(first), alphas.begin() + long(first + n)))
                   .to(torch::kFloat);
      auto wt = torch::tensor(std::vector<double>(weights.begin() + long(first), weights.begin() + long(first + n)));
      torch::AutoGradMode grad_mode(true);
      auto points = (baseline.unsqueeze(0) + a.view({-1, 1, 1}) * delta.unsqueeze(0)).requires_grad_(true);
      auto logits = detail::run_stages(net, 0, points, {}).logits;
      for (size_t i = 0; i < active.size(); ++i) {
        auto g = torch::autograd::grad({detail::target_score(logits, targets[active[i]]).sum()}, {points}, {},
                                       /*retain_graph=*/i + 1 < active.size())[0];
        torch::NoGradGuard no_grad;
        sums[size_t(b)][i] = (g.to(torch::kDouble) * wt.view({-1, 1, 1})).sum(0);
      }
    });
    torch::NoGradGuard no_grad;
    for (const auto& batch_sums : sums)
      for (size_t i = 0; i < active.size(); ++i) {
        auto& sum = paths[active[i]].sum;
        sum = sum.defined() ? sum + batch_sums[i] : batch_sums[i];
      }
  }
};

}  // namespace

namespace detail {
std::unique_ptr<ExplanationMethod> make_integrated_gradients(int steps, int batch, int max_steps,
                                                             double target_error) {
  return std::make_unique<IntegratedGradients>(steps, batch, max_steps, target_error);
}
}  // namespace detail

}  // namespace soundlens
