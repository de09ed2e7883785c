// YAMNet (Google; tensorflow/models research/audioset/yamnet): MobileNetV1 on
// 0.96 s log-mel patches (96 frames x 64 bands), weights read from its TFLite
// file and dequantised to float at load. The TFLite runtime's "hybrid"
// kernels quantise activations on the fly; this is the float network those
// kernels approximate.
//
// Layout: activations are (patches, channels, mel, time), channels-last in
// memory, so that the last block's maps are (windows, 1024, 2 frequency cells,
// 3 time cells) as TorchForwardPass expects. TFLite's kernels [out, kh = time,
// kw = mel, in] become (out, in, mel, time). TensorFlow SAME padding: stride 1
// pads 1 on each side; stride 2 on the even sizes here pads 0 before and 1 after.
//
// Speed: the 1x1 (pointwise) convolutions hold 94% of the multiply-adds. They
// run as oneDNN convolutions on the channels-last activations (its AVX-512
// kernels, ~1.6x OpenBLAS's on this machine); LibTorch's conv2d would send a
// 1x1 convolution of fewer than 16 windows on one thread to a plain GEMM.
//
// A staged network (layer1 ... layer14, then the head), so that every
// explanation method can read and differentiate any block.
#include <torch/torch.h>

#include <cmath>
#include <limits>
#include <map>
#include <random>

#include "core/error.h"
#include "features/yamnet_frontend.h"
#include "model/detail/layers.h"
#include "model/detail/torch_forward.h"
#include "model/detail/yamnet.h"
#include "model/tflite/yamnet_graph.h"

namespace soundlens::detail {
namespace {

constexpr int kBlocks = 14;

struct YamnetConv {
  torch::Tensor weight;  // (out, in / groups, mel, time), channels-last
  torch::Tensor bias;
  torch::Tensor matrix;  // layer1 only: (in * 3 * 3, out) for one matrix product
  int64_t kernel = 1, groups = 1;
  bool stride_two = false;

  void set(torch::Tensor w, torch::Tensor b) {
    weight = w.contiguous(torch::MemoryFormat::ChannelsLast);
    bias = b.contiguous();
    // layer1 has one input channel: LibTorch's direct convolution of it is ~30x slower than one matrix product.
    if (groups == 1 && kernel == 3) matrix = weight.reshape({weight.size(0), -1}).t().contiguous();
  }

  torch::Tensor operator()(const torch::Tensor& in) const {
    // SAME padding at stride 2 is asymmetric (0 before, 1 after): pad explicitly.
    const auto x = stride_two ? torch::constant_pad_nd(in, {0, 1, 0, 1}) : in;
    const int64_t stride = stride_two ? 2 : 1, pad = stride_two ? 0 : (kernel - 1) / 2;
    torch::Tensor y;
    if (matrix.defined()) {
      FusedConv gemm;  // im2col + one GEMM, channels-last out
      gemm.matrix = matrix, gemm.bias = bias, gemm.kernel = kernel, gemm.stride = stride, gemm.padding = pad;
      gemm.method = ConvMethod::gemm;
      y = gemm(x);
    } else if (at::hasMKLDNN()) {
      y = at::mkldnn_convolution(x, weight, bias, {pad, pad}, {stride, stride}, {1, 1}, groups);
    } else {
      y = torch::conv2d(x, weight, bias, stride, pad, 1, groups);
    }
    // In place when no gradient is wanted: the convolution's output is ours.
    return torch::GradMode::is_enabled() ? torch::relu(y) : torch::relu_(y);
  }
};

YamnetConv to_torch(const tflite::YamnetConv& c) {
  auto w = torch::from_blob(const_cast<float*>(c.weight.data()), {c.shape[0], c.shape[1], c.shape[2], c.shape[3]},
                            torch::kFloat);
  YamnetConv l;
  l.stride_two = c.stride == 2;
  l.kernel = c.shape[1];
  l.groups = c.depthwise ? c.shape[3] : 1;
  const auto bias =
      torch::from_blob(const_cast<float*>(c.bias.data()), {c.shape[c.depthwise ? 3 : 0]}, torch::kFloat).clone();
  // Depthwise [1, time, mel, C] -> (C, 1, mel, time); others [out, time, mel, in] -> (out, in, mel, time).
  l.set(c.depthwise ? w.permute({3, 0, 2, 1}).clone() : w.permute({0, 3, 2, 1}).clone(), bias);
  return l;
}

class YamnetModel : public Model, public StagedNetwork {
 public:
  YamnetModel(ModelInfo info, const tflite::YamnetWeights& w, const Labels& audioset, const Labels& yamnet_classes)
      : info_(std::move(info)) {
    frontend_ = make_yamnet_frontend({w.window, w.mel_matrix, w.mel_bias});
    for (const auto& c : w.convs) convs_.push_back(to_torch(c));
    if (convs_.size() != 2 * kBlocks - 1) throw Error(ErrorCode::model_not_loaded, "YAMNet needs 27 convolutions");
    classifier_.weight = torch::from_blob(const_cast<float*>(w.classifier_weight.data()),
                                          {tflite::kYamnetClasses, tflite::kYamnetEmbedding}, torch::kFloat)
                             .clone();
    classifier_.bias =
        torch::from_blob(const_cast<float*>(w.classifier_bias.data()), {tflite::kYamnetClasses}, torch::kFloat).clone();
    map_classes(audioset, yamnet_classes);
    set_head_weight();
    for (int b = 1; b <= kBlocks; ++b) stage_names_.push_back("layer" + std::to_string(b));
    for (const auto& layer : info_.explainable_layers) stage_index(layer.name);
  }
  YamnetModel(const YamnetModel&) = default;  // tensors shared: a copy replaces those it changes

  const ModelInfo& info() const override { return info_; }
  const FrontEnd& frontend() const override { return *frontend_; }

  std::unique_ptr<ForwardPass> forward(std::span<const MelSpectrogram> windows) const override {
    if (!windows.empty() && (windows.front().n_frames != kYamnetPatchFrames || windows.front().n_mels != 64))
      throw Error(ErrorCode::internal, "YAMNet takes windows of one patch (96 frames x 64 mel bands), not " +
                                           std::to_string(windows.front().n_frames) + " frames");
    auto pass = staged_forward(*this, stack_spectrograms(windows), info_.explainable_layers);
    pass->set_pooled_linear_head(head_weight_);
    return pass;
  }

  const std::vector<std::string>& stage_names() const override { return stage_names_; }

  // Stage 0 (layer1) takes (windows, mels, frames); stage b the previous block's output.
  torch::Tensor run_stage(int index, const torch::Tensor& x) const override {
    if (index == 0) return convs_[0](x.unsqueeze(1).contiguous(torch::MemoryFormat::ChannelsLast));
    if (index < 0 || index >= kBlocks) throw Error(ErrorCode::internal, "YAMNet has no stage " + std::to_string(index));
    return convs_[size_t(2 * index)](convs_[size_t(2 * index - 1)](x));  // depthwise, then pointwise
  }

  // The activations are already (windows, channels, mel, time), lowest band first.
  torch::Tensor to_map(const torch::Tensor& stage_output) const override { return stage_output; }

  torch::Tensor embedding(const torch::Tensor& maps) const override { return maps.mean({2, 3}); }
  torch::Tensor head(const torch::Tensor& maps) const override {
    const auto logits = classifier_(embedding(maps));
    // Column 521 is NaN: what AudioSet classes without a YAMNet output read.
    const auto padded = torch::cat({logits, torch::full({logits.size(0), 1}, kNaN, logits.options())}, 1);
    return padded.index_select(1, to_audioset_);
  }

  // Cascade step s (0: classifier, 1: layer14, ..., 14: layer1) re-initialised.
  void reinitialise(int step, std::mt19937_64& rng) {
    // Keras' defaults, as YAMNet was trained: Glorot-uniform kernels, zero biases; a fresh batch norm
    // (mean 0, variance 1, no scale, epsilon 1e-4) folds into a factor 1 / sqrt(1 + 1e-4) and a zero bias.
    auto glorot = [&](torch::IntArrayRef shape, double fan_in, double fan_out) {
      std::uniform_real_distribution<double> u(-1.0, 1.0);
      const double bound = std::sqrt(6.0 / (fan_in + fan_out));
      auto t = torch::empty(shape, torch::kFloat);
      auto* p = t.data_ptr<float>();
      for (int64_t i = 0; i < t.numel(); ++i) p[i] = float(bound * u(rng));
      return t;
    };
    if (step == 0) {
      classifier_.weight = glorot({tflite::kYamnetClasses, tflite::kYamnetEmbedding}, tflite::kYamnetEmbedding,
                                  tflite::kYamnetClasses);
      classifier_.bias = torch::zeros({tflite::kYamnetClasses});
      set_head_weight();
      return;
    }
    const int block = kBlocks + 1 - step;
    const double bn = 1.0 / std::sqrt(1.0 + 1e-4);
    const int first = block == 1 ? 0 : 2 * block - 3, last = block == 1 ? 0 : 2 * block - 2;  // as run_stage
    for (int i = first; i <= last; ++i) {
      auto& c = convs_[size_t(i)];
      const auto shape = c.weight.sizes().vec();  // (out, in / groups, mel, time)
      const double receptive = double(shape[2] * shape[3]);
      // Keras' depthwise kernel is (kh, kw, channels, 1): fan_out is the receptive field alone.
      const double fan_in = receptive * double(c.groups > 1 ? shape[0] : shape[1]);
      const double fan_out = receptive * double(c.groups > 1 ? 1 : shape[0]);
      c.set(glorot(shape, fan_in, fan_out) * bn, torch::zeros({shape[0]}));
    }
  }

 private:
  static constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
  ModelInfo info_;
  std::shared_ptr<const YamnetFrontEnd> frontend_;
  std::vector<YamnetConv> convs_;  // layer1, then each block's depthwise and pointwise
  Linear classifier_;
  torch::Tensor to_audioset_;  // per AudioSet index: the YAMNet output, or 521 (NaN)
  torch::Tensor head_weight_;  // (527, 1024): the classifier's rows in AudioSet order, NaN for the absent
  std::vector<std::string> stage_names_;

  void set_head_weight() {
    const auto nan_row = torch::full({1, tflite::kYamnetEmbedding}, kNaN);
    head_weight_ = torch::cat({classifier_.weight, nan_row}, 0).index_select(0, to_audioset_).contiguous();
  }

  void map_classes(const Labels& audioset, const Labels& yamnet_classes) {
    if (yamnet_classes.size() != tflite::kYamnetClasses)
      throw Error(ErrorCode::model_not_loaded, "the YAMNet class map has " + std::to_string(yamnet_classes.size()) +
                                                   " classes, expected 521");
    std::map<std::string, int> by_mid;
    for (const auto& c : yamnet_classes.all()) by_mid[c.mid] = c.index;
    std::vector<std::int64_t> index(std::size_t(audioset.size()), tflite::kYamnetClasses);
    info_.missing_classes.clear();
    for (const auto& c : audioset.all()) {
      const auto it = by_mid.find(c.mid);
      if (it == by_mid.end()) {
        info_.missing_classes.push_back(c.index);
        continue;
      }
      index[std::size_t(c.index)] = it->second;
      by_mid.erase(it);
    }
    if (!by_mid.empty())
      throw Error(ErrorCode::model_not_loaded, "YAMNet class '" + by_mid.begin()->first + "' is not an AudioSet class");
    to_audioset_ = torch::tensor(index, torch::kLong);
    info_.num_classes = audioset.size();
  }
};

}  // namespace

std::unique_ptr<Model> make_yamnet(ModelInfo info, const std::string& tflite_path, const Labels& audioset,
                                   const Labels& yamnet_classes) {
  const auto weights = tflite::load_yamnet_file(tflite_path);
  return std::make_unique<YamnetModel>(std::move(info), weights, audioset, yamnet_classes);
}

std::vector<std::string> yamnet_cascade() {
  std::vector<std::string> steps{"classifier"};
  for (int b = kBlocks; b >= 1; --b) steps.push_back("layer" + std::to_string(b));
  return steps;
}

std::shared_ptr<const Model> randomised_yamnet(const Model& model, int cascade_steps, std::uint64_t seed) {
  const auto* yamnet = dynamic_cast<const YamnetModel*>(&model);
  if (yamnet == nullptr) throw Error(ErrorCode::internal, "randomised_yamnet: the model is not YAMNet");
  const int steps = int(yamnet_cascade().size());
  if (cascade_steps < 0 || cascade_steps > steps)
    throw Error(ErrorCode::bad_request, "randomisation cascade steps must be 0.." + std::to_string(steps));
  auto copy = std::make_shared<YamnetModel>(*yamnet);
  for (int s = 0; s < cascade_steps; ++s) {
    std::seed_seq seq{std::uint32_t(seed), std::uint32_t(seed >> 32), std::uint32_t(s)};
    std::mt19937_64 rng(seq);
    copy->reinitialise(s, rng);
  }
  return copy;
}

}  // namespace soundlens::detail
