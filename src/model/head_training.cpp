// train_head (trained_head.h) in LibTorch: full-batch Adam on standardised
// embeddings, cross-entropy (single-label) or per-class binary cross-entropy
// (multi-label), L2 on the weights.
#include <torch/torch.h>

#include <cmath>

#include "core/error.h"
#include "model/trained_head.h"

namespace soundlens {
namespace {

DenseLayer to_layer(const torch::Tensor& weight, const torch::Tensor& bias) {
  DenseLayer layer;
  layer.outputs = int(weight.size(0));
  layer.inputs = int(weight.size(1));
  const auto w = weight.detach().contiguous();
  const auto b = bias.detach().contiguous();
  layer.weight.assign(w.data_ptr<float>(), w.data_ptr<float>() + w.numel());
  layer.bias.assign(b.data_ptr<float>(), b.data_ptr<float>() + b.numel());
  return layer;
}

// A head's tensors are small: thousands of tiny operations, each of which a pool of threads
// would wait at (and spin at, on a busy machine). Training runs on the calling thread alone.
class OneThread {
 public:
  OneThread() : saved_(at::get_num_threads()) { at::set_num_threads(1); }
  ~OneThread() { at::set_num_threads(saved_); }
  OneThread(const OneThread&) = delete;
  OneThread& operator=(const OneThread&) = delete;

 private:
  int saved_;
};

}  // namespace

TrainedHead train_head(const HeadTrainingData& d, const HeadTrainingOptions& o) {
  const OneThread one_thread;
  if (d.rows < 2 || d.dims < 1 || d.scores < 1 || d.embeddings.size() != std::size_t(d.rows) * std::size_t(d.dims))
    throw Error(ErrorCode::bad_request, "training a head needs at least two embeddings");
  torch::manual_seed(o.seed);
  const auto x_raw = torch::from_blob(const_cast<float*>(d.embeddings.data()), {d.rows, d.dims}, torch::kFloat);
  const auto mean = x_raw.mean(0);
  const auto scale = 1.0 / (x_raw.std(0, /*unbiased=*/false) + 1e-4);
  const auto x = ((x_raw - mean) * scale).contiguous();
  auto weight = d.sample_weight.empty()
                    ? torch::ones({d.rows})
                    : torch::from_blob(const_cast<float*>(d.sample_weight.data()), {d.rows}, torch::kFloat).clone();
  weight = weight / weight.sum();

  std::vector<torch::Tensor> params;
  auto make = [&](int out, int in) {
    auto w = (torch::randn({out, in}) * std::sqrt(1.0 / in)).requires_grad_(true);
    auto b = torch::zeros({out}).requires_grad_(true);
    params.push_back(w);
    params.push_back(b);
  };
  if (o.hidden > 0) {
    make(o.hidden, d.dims);
    make(d.scores, o.hidden);
  } else {
    make(d.scores, d.dims);
  }
  auto forward = [&](const torch::Tensor& in) {
    if (params.size() == 2) return torch::addmm(params[1], in, params[0].t());
    return torch::addmm(params[3], torch::relu(torch::addmm(params[1], in, params[0].t())), params[2].t());
  };
  torch::Tensor target;
  if (d.multi_label)
    target = torch::from_blob(const_cast<float*>(d.multi_targets.data()), {d.rows, d.scores}, torch::kFloat).clone();
  else
    target = torch::tensor(std::vector<int64_t>(d.single_targets.begin(), d.single_targets.end()), torch::kLong);

  torch::optim::Adam optimiser(params, torch::optim::AdamOptions(0.01));
  for (int epoch = 0; epoch < o.epochs; ++epoch) {
    optimiser.zero_grad();
    const auto scores = forward(x);
    torch::Tensor per_row =
        d.multi_label
            ? torch::binary_cross_entropy_with_logits(scores, target, {}, {}, torch::Reduction::None).mean(1)
            : torch::nn::functional::cross_entropy(
                  scores, target, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone));
    auto loss = (per_row * weight).sum();
    for (std::size_t p = 0; p < params.size(); p += 2) loss = loss + 0.5 * o.weight_decay * params[p].pow(2).sum();
    loss.backward();
    optimiser.step();
  }

  TrainedHead head;
  head.multi_label = d.multi_label;
  head.negative_class = d.negative_class;
  const auto m = mean.contiguous();
  const auto s = scale.contiguous();
  head.mean.assign(m.data_ptr<float>(), m.data_ptr<float>() + m.numel());
  head.scale.assign(s.data_ptr<float>(), s.data_ptr<float>() + s.numel());
  for (std::size_t p = 0; p < params.size(); p += 2) head.layers.push_back(to_layer(params[p], params[p + 1]));
  return head;
}

}  // namespace soundlens
