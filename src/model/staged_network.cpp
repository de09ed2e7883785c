#include "model/detail/staged_network.h"

#include "core/error.h"
#include "model/detail/torch_forward.h"

namespace soundlens::detail {

int StagedNetwork::stage_index(const std::string& name) const {
  const auto& names = stage_names();
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return int(i);
  std::string known;
  for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
  throw Error(ErrorCode::bad_request, "the model has no layer '" + name + "' (layers: " + known + ")");
}

StagedRun run_stages(const StagedNetwork& net, int first, const torch::Tensor& x, std::span<const int> taps) {
  const int end = int(net.stage_names().size());
  if (first < 0 || first > end) throw Error(ErrorCode::internal, "run_stages: no stage " + std::to_string(first));
  StagedRun run;
  run.taps.resize(taps.size());
  auto keep = [&](int stage, const torch::Tensor& t) {
    for (size_t k = 0; k < taps.size(); ++k)
      if (taps[k] == stage) run.taps[k] = t;
  };
  torch::Tensor y = x;
  keep(first - 1, y);
  for (int i = first; i < end; ++i) {
    y = net.run_stage(i, y);
    keep(i, y);
  }
  for (size_t k = 0; k < taps.size(); ++k)
    if (!run.taps[k].defined()) throw Error(ErrorCode::internal, "run_stages: tap before the first stage run");
  run.logits = net.head(net.to_map(y));
  return run;
}

std::unique_ptr<TorchForwardPass> staged_forward(const StagedNetwork& net, torch::Tensor input,
                                                 const std::vector<ExplainableLayer>& record) {
  torch::NoGradGuard no_grad;
  std::vector<std::pair<std::string, torch::Tensor>> recorded;
  const auto& names = net.stage_names();
  torch::Tensor y = input;
  for (size_t i = 0; i < names.size(); ++i) {
    y = net.run_stage(int(i), y);
    for (const auto& layer : record)
      if (layer.name == names[i]) recorded.emplace_back(names[i], y);
  }
  auto maps = net.to_map(y).contiguous();
  return std::make_unique<TorchForwardPass>(net, std::move(input), std::move(maps), std::move(recorded));
}

}  // namespace soundlens::detail
