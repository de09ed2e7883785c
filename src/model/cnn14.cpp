// PANNs CNN14 (Kong et al. 2020): batch norm over mel bins, six double-conv
// blocks with 2x2 average pooling, then mean over frequency and max + mean
// over time into a two-layer head.
#include "core/error.h"
#include "model/detail/layers.h"
#include "model/detail/networks.h"
#include "model/detail/torch_forward.h"

namespace soundlens::detail {
namespace {

constexpr double kBnEps = 1e-5;
constexpr int kBlocks = 6;
constexpr int64_t kMels = 64;

// Measured on 10 s windows (2 cores): oneDNN's direct convolution is fastest
// at many positions, a GEMM for the single-channel input and for the last two
// blocks (many channels, few positions), where it is twice as fast.
ConvMethod conv_method(int block, int conv) {
  if ((block == 1 && conv == 1) || block >= 5) return ConvMethod::gemm;
  return ConvMethod::direct_channels_last;
}

class Cnn14Model : public Model, public StagedNetwork {
 public:
  Cnn14Model(ModelInfo info, const StateDict& dict) : info_(std::move(info)) {
    // bn0 normalises each mel bin before the zero padding of the first conv,
    // so it cannot be folded into that conv; it stays a per-bin affine map.
    const auto& gamma = require(dict, "bn0.weight", {kMels});
    const auto& beta = require(dict, "bn0.bias", {kMels});
    const auto& mean = require(dict, "bn0.running_mean", {kMels});
    const auto& var = require(dict, "bn0.running_var", {kMels});
    const auto scale = gamma.to(torch::kDouble) / (var.to(torch::kDouble) + kBnEps).sqrt();
    bn0_scale_ = scale.to(torch::kFloat).view({1, 1, 1, kMels});
    bn0_shift_ = (beta.to(torch::kDouble) - mean.to(torch::kDouble) * scale).to(torch::kFloat).view({1, 1, 1, kMels});
    int64_t in = 1;
    for (int b = 1; b <= kBlocks; ++b) {
      const auto p = "conv_block" + std::to_string(b);
      const int64_t out = 64LL << (b - 1);
      require(dict, p + ".conv1.weight", {out, in, 3, 3});
      require(dict, p + ".conv2.weight", {out, out, 3, 3});
      blocks_.push_back({fuse_conv_bn(dict, p + ".conv1", p + ".bn1", kBnEps, 1, 1, 1, conv_method(b, 1)),
                         fuse_conv_bn(dict, p + ".conv2", p + ".bn2", kBnEps, 1, 1, 1, conv_method(b, 2))});
      in = out;
    }
    fc1_ = load_linear(dict, "fc1");
    fc_ = load_linear(dict, "fc_audioset");
    if (fc1_.weight.size(1) != in) throw Error(ErrorCode::model_not_loaded, "checkpoint's fc1 does not fit CNN14");
    info_.num_classes = int(fc_.weight.size(0));
    frontend_ = make_panns_frontend();
    stage_names_.push_back("bn0");
    for (int b = 1; b <= kBlocks; ++b) stage_names_.push_back("conv_block" + std::to_string(b));
    for (const auto& layer : info_.explainable_layers) stage_index(layer.name);
  }

  const ModelInfo& info() const override { return info_; }
  const FrontEnd& frontend() const override { return *frontend_; }

  std::unique_ptr<ForwardPass> forward(std::span<const MelSpectrogram> windows) const override {
    auto input = stack_spectrograms(windows);
    if (input.size(1) != kMels) throw Error(ErrorCode::internal, "CNN14 needs 64 mel bins");
    return staged_forward(*this, std::move(input), info_.explainable_layers);
  }

  const std::vector<std::string>& stage_names() const override { return stage_names_; }

  // PANNs works on (windows, 1, time, mel).
  torch::Tensor run_stage(int index, const torch::Tensor& x) const override {
    if (index == 0) return x.transpose(1, 2).unsqueeze(1) * bn0_scale_ + bn0_shift_;
    const bool grad = torch::GradMode::is_enabled();
    const auto& [conv1, conv2] = blocks_[size_t(index) - 1];
    auto y = grad ? conv1(x).relu() : conv1(x).relu_();
    y = grad ? conv2(y).relu() : conv2(y).relu_();
    return index < kBlocks ? torch::avg_pool2d(y, {2, 2}) : y;
  }

  // (windows, channels, time, mel) -> (windows, channels, mel, time).
  torch::Tensor to_map(const torch::Tensor& stage_output) const override { return stage_output.permute({0, 1, 3, 2}); }

  torch::Tensor head(const torch::Tensor& maps) const override { return fc_(embedding(maps)); }
  // PANNs' own "embedding": the first fully connected layer over the pooled maps.
  torch::Tensor embedding(const torch::Tensor& maps) const override {
    auto t = maps.mean(2);  // over frequency
    auto pooled = std::get<0>(t.max(2)) + t.mean(2);
    return torch::relu(fc1_(pooled));
  }

 private:
  ModelInfo info_;
  torch::Tensor bn0_scale_, bn0_shift_;
  std::vector<std::pair<FusedConv, FusedConv>> blocks_;
  Linear fc1_, fc_;
  std::unique_ptr<FrontEnd> frontend_;
  std::vector<std::string> stage_names_;
};

}  // namespace

std::unique_ptr<Model> make_cnn14(const ModelInfo& info, const StateDict& dict) {
  return std::make_unique<Cnn14Model>(info, dict);
}

}  // namespace soundlens::detail
