#include "model/randomised_copy.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "core/error.h"
#include "model/detail/checkpoint.h"
#include "model/detail/networks.h"
#include "model/detail/yamnet.h"
#include "model/calibrated_model.h"
#include "model/trained_model.h"

namespace soundlens {
namespace {

constexpr int kEfficientAtLastFeature = 16;
constexpr int kCnn14Blocks = 6;

bool is_cnn14(const Model& model) { return model.info().name == "cnn14"; }
bool is_yamnet(const Model& model) { return model.info().name == "yamnet"; }

bool has_prefix(const std::string& key, const std::string& step) { return key.rfind(step + ".", 0) == 0; }

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// The tensor's module prefix ("a.b" of "a.b.weight").
std::string module_of(const std::string& key) { return key.substr(0, key.rfind('.')); }

template <class Draw>
torch::Tensor filled_like(const torch::Tensor& t, Draw draw) {
  std::vector<float> v(std::size_t(t.numel()));
  for (auto& x : v) x = float(draw());
  return torch::from_blob(v.data(), t.sizes(), torch::kFloat).clone().to(t.dtype());
}

// Re-initialises every tensor of one cascade step, as the networks' training
// code does: torchvision's MobileNetV3 init for EfficientAT, PANNs' init_layer
// and init_bn for CNN14.
void reinitialise(detail::StateDict& dict, const std::string& step, bool cnn14, std::mt19937_64& rng) {
  for (auto& [key, tensor] : dict) {
    if (!has_prefix(key, step) || ends_with(key, "num_batches_tracked")) continue;
    const bool batch_norm = dict.count(module_of(key) + ".running_mean") > 0;
    if (ends_with(key, ".running_mean") || ends_with(key, ".bias")) {
      tensor = torch::zeros_like(tensor);
    } else if (ends_with(key, ".running_var") || (batch_norm && ends_with(key, ".weight"))) {
      tensor = torch::ones_like(tensor);
    } else if (ends_with(key, ".weight") && (tensor.dim() == 4 || tensor.dim() == 2)) {
      const double receptive = tensor.dim() == 4 ? double(tensor.size(2) * tensor.size(3)) : 1.0;
      const double fan_in = double(tensor.size(1)) * receptive, fan_out = double(tensor.size(0)) * receptive;
      if (cnn14) {
        std::uniform_real_distribution<double> u(-1.0, 1.0);
        const double bound = std::sqrt(6.0 / (fan_in + fan_out));
        tensor = filled_like(tensor, [&] { return bound * u(rng); });
      } else {
        std::normal_distribution<double> n(0.0, tensor.dim() == 4 ? std::sqrt(2.0 / fan_out) : 0.01);
        tensor = filled_like(tensor, [&] { return n(rng); });
      }
    } else {
      throw Error(ErrorCode::internal, "randomised_copy: no initialisation for '" + key + "'");
    }
  }
}

// A trained head re-initialised as the base networks' linear layers are: N(0, 0.01) weights, zero biases.
TrainedHead randomised_head(TrainedHead head, std::uint64_t seed) {
  std::seed_seq seq{std::uint32_t(seed), std::uint32_t(seed >> 32), std::uint32_t(0)};
  std::mt19937_64 rng(seq);
  std::normal_distribution<double> n(0.0, 0.01);
  for (auto& layer : head.layers) {
    for (auto& w : layer.weight) w = float(n(rng));
    std::fill(layer.bias.begin(), layer.bias.end(), 0.0f);
  }
  return head;
}

}  // namespace

// A trained model's cascade: its head, then the base's steps below the base's own classifier
// (which a trained model does not use): step i >= 2 of the trained model is step i of the base.
std::vector<std::string> randomisation_cascade(const Model& model) {
  if (const auto* base = calibrated_base(model)) return randomisation_cascade(*base);
  if (const auto* parts = trained_parts(model)) {
    auto steps = randomisation_cascade(*parts->base);
    steps.front() = "head";
    return steps;
  }
  if (is_yamnet(model)) return detail::yamnet_cascade();
  std::vector<std::string> steps;
  if (is_cnn14(model)) {
    steps = {"fc_audioset", "fc1"};
    for (int b = kCnn14Blocks; b >= 1; --b) steps.push_back("conv_block" + std::to_string(b));
  } else {
    steps = {"classifier"};
    for (int f = kEfficientAtLastFeature; f >= 0; --f) steps.push_back("features." + std::to_string(f));
  }
  return steps;
}

std::shared_ptr<const Model> randomised_copy(const Model& model, int cascade_steps, std::uint64_t seed) {
  if (const auto* base = calibrated_base(model))  // the calibration stays: it is part of the explained score
    return make_calibrated_model(randomised_copy(*base, cascade_steps, seed), *calibration_of(model), "");
  if (const auto* parts = trained_parts(model)) {
    const int size = int(randomisation_cascade(model).size());
    if (cascade_steps < 0 || cascade_steps > size)
      throw Error(ErrorCode::bad_request, "randomisation cascade steps must be 0.." + std::to_string(size));
    auto base = cascade_steps >= 2 ? randomised_copy(*parts->base, cascade_steps, seed) : parts->base;
    auto head = cascade_steps >= 1 ? randomised_head(parts->head, seed) : parts->head;
    return make_trained_model(std::move(base), std::move(head), model.info());
  }
  // YAMNet's weights come from its TFLite file, not a checkpoint: the model copies itself.
  if (is_yamnet(model)) return detail::randomised_yamnet(model, cascade_steps, seed);
  const auto steps = randomisation_cascade(model);
  if (cascade_steps < 0 || cascade_steps > int(steps.size()))
    throw Error(ErrorCode::bad_request, "randomisation cascade steps must be 0.." + std::to_string(steps.size()));
  auto dict = detail::read_checkpoint(model.info().weights_file);
  const bool cnn14 = is_cnn14(model);
  for (int s = 0; s < cascade_steps; ++s) {
    std::seed_seq seq{std::uint32_t(seed), std::uint32_t(seed >> 32), std::uint32_t(s)};
    std::mt19937_64 rng(seq);
    reinitialise(dict, steps[s], cnn14, rng);
  }
  if (cnn14) return detail::make_cnn14(model.info(), dict);
  return detail::make_efficientat(model.info(), dict);
}

}  // namespace soundlens
