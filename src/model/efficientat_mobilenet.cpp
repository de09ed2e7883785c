// EfficientAT's MobileNetV3 for audio (Schmid et al. 2023): the MobileNetV3
// block table scaled by a width multiplier, channel squeeze-and-excitation,
// and an MLP head over the globally pooled last conv block.
#include <cmath>
#include <optional>
#include <sstream>

#include "core/error.h"
#include "model/detail/layers.h"
#include "model/detail/networks.h"
#include "model/detail/torch_forward.h"

namespace soundlens::detail {
namespace {

constexpr double kBnEps = 0.001;

// MobileNetV3-Large: kernel, expanded, out, squeeze-excitation, hard-swish, stride
// (channels before width scaling).
struct BlockSpec {
  int kernel, expanded, out;
  bool se, hardswish;
  int stride;
};
constexpr BlockSpec kBlocks[] = {
    {3, 16, 16, false, false, 1},   {3, 64, 24, false, false, 2},  {3, 72, 24, false, false, 1},
    {5, 72, 40, true, false, 2},    {5, 120, 40, true, false, 1},  {5, 120, 40, true, false, 1},
    {3, 240, 80, false, true, 2},   {3, 200, 80, false, true, 1},  {3, 184, 80, false, true, 1},
    {3, 184, 80, false, true, 1},   {3, 480, 112, true, true, 1},  {3, 672, 112, true, true, 1},
    {5, 672, 160, true, true, 2},   {5, 960, 160, true, true, 1},  {5, 960, 160, true, true, 1},
};
constexpr int kFirstChannels = 16;
constexpr int kLastBlockChannels = 160;

// Channel counts are rounded to multiples of 8, never more than 10% down.
int make_divisible(double v, int divisor = 8) {
  int rounded = std::max(divisor, int(v + divisor / 2.0) / divisor * divisor);
  if (rounded < 0.9 * v) rounded += divisor;
  return rounded;
}

// In place when no gradient is wanted: the convolution's output is ours, and
// allocations cost more than the math here.
torch::Tensor activation(torch::Tensor x, bool hardswish) {
  if (torch::GradMode::is_enabled()) return hardswish ? torch::hardswish(x) : torch::relu(x);
  return hardswish ? torch::hardswish_(x) : torch::relu_(x);
}

// The mean over cells as ATen computes it on the CPU (a sum, then a division), written out so that its
// gradient is a broadcast view rather than a full-size division per backward pass (Layer-CAM and
// integrated gradients run several: about a tenth of their backward time).
torch::Tensor cell_mean(const torch::Tensor& x) { return x.sum({2, 3}) / double(x.size(2) * x.size(3)); }

struct SqueezeExcitation {
  Linear fc1, fc2;
  torch::Tensor operator()(const torch::Tensor& x) const {
    auto s = cell_mean(x);
    s = torch::sigmoid(fc2(torch::relu(fc1(s))));
    return x * s.unsqueeze(2).unsqueeze(3);
  }
};

struct InvertedResidual {
  std::optional<FusedConv> expand;
  FusedConv depthwise, project;
  std::optional<SqueezeExcitation> se;
  bool hardswish = false, residual = false;

  torch::Tensor operator()(const torch::Tensor& in) const {
    auto x = expand ? activation((*expand)(in), hardswish) : in;
    x = activation(depthwise(x), hardswish);
    if (se) x = (*se)(x);
    x = project(x);
    return residual ? x + in : x;
  }
};

class EfficientAtModel : public Model, public StagedNetwork {
 public:
  EfficientAtModel(ModelInfo info, const StateDict& dict) : info_(std::move(info)) {
    const auto& stem = require(dict, "features.0.0.weight");
    const auto& last_block = require(dict, "features.15.block.3.0.weight");
    // The width multiplier is read off the checkpoint: the last block has 160 * width channels.
    width_ = double(last_block.size(0)) / kLastBlockChannels;
    auto ch = [&](int c) { return make_divisible(c * width_); };
    if (stem.size(0) != ch(kFirstChannels)) throw_shape("features.0.0.weight");
    stem_ = fuse_conv_bn(dict, "features.0.0", "features.0.1", kBnEps, 2, 1, 1, ConvMethod::direct_channels_last);

    int in = ch(kFirstChannels);
    int index = 1;
    for (const auto& spec : kBlocks) blocks_.push_back(load_block(dict, index++, spec, in, ch));
    const int last_in = in, last_out = 6 * in;
    require(dict, "features.16.0.weight", {last_out, last_in, 1, 1});
    last_conv_ = fuse_conv_bn(dict, "features.16.0", "features.16.1", kBnEps, 1, 0, 1, ConvMethod::gemm);
    fc1_ = load_linear(dict, "classifier.2");
    fc2_ = load_linear(dict, "classifier.5");
    if (fc1_.weight.size(1) != last_out) throw_shape("classifier.2.weight");
    info_.num_classes = int(fc2_.weight.size(0));
    info_.architecture = describe();
    frontend_ = make_efficientat_frontend(128);
    for (int i = 0; i <= int(std::size(kBlocks)) + 1; ++i) stage_names_.push_back("features." + std::to_string(i));
    for (const auto& layer : info_.explainable_layers) stage_index(layer.name);
  }

  const ModelInfo& info() const override { return info_; }
  const FrontEnd& frontend() const override { return *frontend_; }

  std::unique_ptr<ForwardPass> forward(std::span<const MelSpectrogram> windows) const override {
    auto pass = staged_forward(*this, stack_spectrograms(windows), info_.explainable_layers);
    pass->set_mean_pooled_head([this](const torch::Tensor& means) { return pooled_head(means); });
    return pass;
  }

  const std::vector<std::string>& stage_names() const override { return stage_names_; }

  torch::Tensor run_stage(int index, const torch::Tensor& x) const override {
    if (index == 0) {
      // Channels-last lets oneDNN run the depthwise and 1x1 convolutions without reordering.
      auto y = stem_(x.unsqueeze(1).contiguous(torch::MemoryFormat::ChannelsLast));
      return activation(y, true);
    }
    if (index <= int(blocks_.size())) return blocks_[size_t(index) - 1](x);
    return torch::hardswish(last_conv_(x)).contiguous();  // the last conv block: Grad-CAM's layer
  }

  // The stem (3x3, stride 2) and blocks 1-3 (3x3 depthwise, strides 1, 2, 1; block 4 has the first
  // squeeze-excitation): block 3's cell j reads input cells 4j - 9 .. 4j + 9 (tests/model checks it).
  LocalPrefix local_prefix() const override { return {4, 4, 9}; }

  // MobileNet's activations are already (windows, channels, mel, frames).
  torch::Tensor to_map(const torch::Tensor& stage_output) const override { return stage_output; }

  torch::Tensor head(const torch::Tensor& maps) const override { return pooled_head(embedding(maps)); }
  torch::Tensor pooled_head(const torch::Tensor& means) const { return fc2_(torch::hardswish(fc1_(means))); }
  torch::Tensor embedding(const torch::Tensor& maps) const override { return cell_mean(maps); }

 private:
  ModelInfo info_;
  double width_ = 1;
  FusedConv stem_, last_conv_;
  std::vector<InvertedResidual> blocks_;
  Linear fc1_, fc2_;
  std::unique_ptr<FrontEnd> frontend_;
  std::vector<std::string> stage_names_;

  [[noreturn]] void throw_shape(const std::string& key) const {
    throw Error(ErrorCode::model_not_loaded, "checkpoint tensor '" + key + "' does not fit an EfficientAT "
                                             "MobileNetV3 of width " + std::to_string(width_));
  }

  template <class Channels>
  InvertedResidual load_block(const StateDict& dict, int index, const BlockSpec& spec, int& in, Channels ch) {
    const std::string p = "features." + std::to_string(index) + ".block.";
    const int expanded = ch(spec.expanded), out = ch(spec.out);
    InvertedResidual b;
    b.hardswish = spec.hardswish;
    b.residual = spec.stride == 1 && in == out;
    int layer = 0;
    if (expanded != in) {
      require(dict, p + "0.0.weight", {expanded, in, 1, 1});
      b.expand = fuse_conv_bn(dict, p + "0.0", p + "0.1", kBnEps, 1, 0, 1, ConvMethod::gemm);
      layer = 1;
    }
    const auto l = std::to_string(layer);
    require(dict, p + l + ".0.weight", {expanded, 1, spec.kernel, spec.kernel});
    b.depthwise = fuse_conv_bn(dict, p + l + ".0", p + l + ".1", kBnEps, spec.stride, (spec.kernel - 1) / 2, expanded,
                               ConvMethod::direct_channels_last);
    ++layer;
    if (spec.se) {
      const auto s = p + std::to_string(layer) + ".conc_se_layers.0.";
      b.se = SqueezeExcitation{load_linear(dict, s + "fc1"), load_linear(dict, s + "fc2")};
      ++layer;
    }
    const auto pl = p + std::to_string(layer);
    require(dict, pl + ".0.weight", {out, expanded, 1, 1});
    b.project = fuse_conv_bn(dict, pl + ".0", pl + ".1", kBnEps, 1, 0, 1, ConvMethod::gemm);
    in = out;
    return b;
  }

  std::string describe() const {
    std::ostringstream s;
    s << "EfficientAT MobileNetV3, width " << width_ << ", MLP head, " << info_.num_classes << " classes";
    return s.str();
  }
};

}  // namespace

std::unique_ptr<Model> make_efficientat(const ModelInfo& info, const StateDict& dict) {
  return std::make_unique<EfficientAtModel>(info, dict);
}

}  // namespace soundlens::detail
