// Integrated gradients (Sundararajan et al. 2017) on the log-mel input at full
// resolution (one cell per mel bin and frame). The baseline is the model's
// silence in its own feature domain (ModelInfo::silence_floor). The path
// integral uses the trapezoid rule over m steps: gradients at baseline + k/m
// (x - baseline), k = 0..m (m + 1 points, the two ends weighted 1/2), batched.
// Attribution = (x - baseline) * their weighted mean. On the metro example the
// trapezoid rule's completeness error at m = 32 is 0.14%, the midpoint rule's
// 1.6% (Python reference, class Train).
// The map shows the positive attributions (evidence for the score); the
// completeness error |sum attributions - (f(x) - f(baseline))| / |f(x) -
// f(baseline)| is computed on the signed ones.
#include <cmath>

#include "core/error.h"
#include "explain/detail/methods.h"
#include "explain/detail/torch_explain.h"
#include "model/detail/layers.h"

namespace soundlens {
namespace {

class IntegratedGradients : public ExplanationMethod {
 public:
  IntegratedGradients(int steps, int batch) : steps_(steps), batch_(batch) {
    if (steps < 1 || batch < 1) throw Error(ErrorCode::bad_request, "integrated gradients needs steps >= 1");
  }
  std::string name() const override { return "integrated-gradients"; }
  std::vector<std::string> layers(const ModelInfo&) const override { return {"input"}; }

  std::vector<std::vector<CamGrid>> explain(const Model& model, const ForwardPass& pass,
                                            std::span<const MelSpectrogram> windows,
                                            std::span<const ExplainTarget> targets) const override {
    const auto& info = model.info();
    detail::check_targets(targets, info.num_classes);
    const auto& tp = detail::torch_pass(pass, name());
    const auto& net = detail::staged_network(tp, name());
    const auto input = detail::stack_spectrograms(windows);
    if (input.size(0) != tp.windows()) throw Error(ErrorCode::internal, "windows and pass differ");
    const auto baseline = torch::full_like(input[0], info.silence_floor);
    torch::Tensor baseline_logits;
    {
      torch::NoGradGuard no_grad;
      baseline_logits = detail::run_stages(net, 0, baseline.unsqueeze(0), {}).logits;
    }
    std::vector<std::vector<CamGrid>> out(targets.size());
    for (int64_t w = 0; w < input.size(0); ++w) {
      const auto x = input[w];
      const auto delta = x - baseline;
      std::vector<torch::Tensor> grad_sum(targets.size());
      for (int first = 0; first <= steps_; first += batch_) {
        const int n = std::min(batch_, steps_ + 1 - first);
        auto ks = torch::arange(first, first + n, torch::kFloat);
        auto alphas = ks / float(steps_);
        auto weights = torch::where((ks == 0) | (ks == float(steps_)), torch::full_like(ks, 0.5f), torch::ones_like(ks));
        torch::AutoGradMode grad_mode(true);
        auto points = (baseline.unsqueeze(0) + alphas.view({-1, 1, 1}) * delta.unsqueeze(0)).requires_grad_(true);
        auto logits = detail::run_stages(net, 0, points, {}).logits;
        for (size_t t = 0; t < targets.size(); ++t) {
          auto g = torch::autograd::grad({detail::target_score(logits, targets[t]).sum()}, {points}, {},
                                         /*retain_graph=*/t + 1 < targets.size())[0];
          g = (g * weights.view({-1, 1, 1})).sum(0);
          grad_sum[t] = grad_sum[t].defined() ? grad_sum[t] + g : g;
        }
      }
      torch::NoGradGuard no_grad;
      for (size_t t = 0; t < targets.size(); ++t) {
        const auto attributions = delta * grad_sum[t] / float(steps_);
        const double difference = detail::target_score(tp.logits_tensor().slice(0, w, w + 1), targets[t]).item<double>() -
                                  detail::target_score(baseline_logits, targets[t]).item<double>();
        const double total = attributions.sum(torch::kDouble).item<double>();
        auto grid = detail::to_grids(torch::relu(attributions).unsqueeze(0), 1, 1).front();
        grid.completeness_error = std::abs(total - difference) / std::max(std::abs(difference), 1e-12);
        out[t].push_back(std::move(grid));
      }
    }
    return out;
  }

 private:
  int steps_, batch_;
};

}  // namespace

namespace detail {
std::unique_ptr<ExplanationMethod> make_integrated_gradients(int steps, int batch) {
  return std::make_unique<IntegratedGradients>(steps, batch);
}
}  // namespace detail

}  // namespace soundlens
