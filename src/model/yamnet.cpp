// YAMNet (Google; tensorflow/models research/audioset/yamnet): MobileNetV1 on
// 0.96 s log-mel patches (96 frames x 64 bands), weights read from its TFLite
// file and dequantised to float at load. The TFLite runtime's "hybrid"
// kernels quantise activations on the fly; this is the float network those
// kernels approximate.
//
// Layout: activations are (patches, channels, mel, time), so that the last
// block's maps are (windows, 1024, 2 frequency cells, 3 time cells) as
// TorchForwardPass expects. TFLite's kernels [out, kh = time, kw = mel, in]
// become (out, in, mel, time). TensorFlow SAME padding: stride 1 pads 1 on
// each side; stride 2 on the even sizes here pads 0 before and 1 after.
#include <torch/torch.h>

#include <cmath>
#include <limits>
#include <map>

#include "core/error.h"
#include "features/yamnet_frontend.h"
#include "model/detail/layers.h"
#include "model/detail/torch_forward.h"
#include "model/detail/yamnet.h"
#include "model/tflite/yamnet_graph.h"

namespace soundlens::detail {
namespace {

struct YamnetConvLayer {
  FusedConv conv;  // padding 0: SAME padding is applied before it
  bool stride_two = false;
  torch::Tensor operator()(const torch::Tensor& x) const {
    torch::Tensor y;
    if (!stride_two && conv.kernel == 1) y = conv(x);
    else if (!stride_two) y = torch::conv2d(x, conv.weight, conv.bias, 1, 1, 1, conv.groups);
    else y = conv(torch::constant_pad_nd(x, {0, 1, 0, 1}));  // (left, right) over time, (top, bottom) over mel
    return torch::relu_(y);  // in place: the convolution's output is ours
  }
};

YamnetConvLayer to_torch(const tflite::YamnetConv& c) {
  auto w = torch::from_blob(const_cast<float*>(c.weight.data()),
                            {c.shape[0], c.shape[1], c.shape[2], c.shape[3]}, torch::kFloat)
               .clone();
  YamnetConvLayer l;
  l.stride_two = c.stride == 2;
  auto& f = l.conv;
  f.kernel = c.shape[1];
  f.stride = c.stride;
  f.padding = 0;
  if (c.depthwise) {
    f.groups = c.shape[3];
    f.weight = w.permute({3, 0, 2, 1}).contiguous(torch::MemoryFormat::ChannelsLast);  // (C, 1, mel, time)
    f.method = ConvMethod::direct_channels_last;
  } else {
    f.groups = 1;
    f.weight = w.permute({0, 3, 2, 1}).contiguous(torch::MemoryFormat::ChannelsLast);  // (out, in, mel, time)
    // One matrix product, also for layer1: LibTorch's direct convolution of one input channel is ~30x slower.
    f.method = ConvMethod::gemm;
    f.matrix = f.weight.reshape({c.shape[0], -1}).t().contiguous();
  }
  f.bias = torch::from_blob(const_cast<float*>(c.bias.data()), {c.shape[c.depthwise ? 3 : 0]}, torch::kFloat).clone();
  return l;
}

class YamnetModel : public Model {
 public:
  YamnetModel(ModelInfo info, const tflite::YamnetWeights& w, const Labels& audioset, const Labels& yamnet_classes)
      : info_(std::move(info)) {
    frontend_ = make_yamnet_frontend({w.window, w.mel_matrix, w.mel_bias});
    for (const auto& c : w.convs) layers_.push_back(to_torch(c));
    classifier_.weight = torch::from_blob(const_cast<float*>(w.classifier_weight.data()),
                                          {tflite::kYamnetClasses, tflite::kYamnetEmbedding}, torch::kFloat)
                             .clone();
    classifier_.bias =
        torch::from_blob(const_cast<float*>(w.classifier_bias.data()), {tflite::kYamnetClasses}, torch::kFloat).clone();
    map_classes(audioset, yamnet_classes);
  }

  const ModelInfo& info() const override { return info_; }
  const FrontEnd& frontend() const override { return *frontend_; }

  std::unique_ptr<ForwardPass> forward(std::span<const MelSpectrogram> windows) const override {
    torch::NoGradGuard no_grad;
    if (!windows.empty() && (windows.front().n_frames != kYamnetPatchFrames || windows.front().n_mels != 64))
      throw Error(ErrorCode::internal, "YAMNet takes windows of one patch (96 frames x 64 mel bands), not " +
                                           std::to_string(windows.front().n_frames) + " frames");
    auto x = stack_spectrograms(windows).unsqueeze(1).contiguous(torch::MemoryFormat::ChannelsLast);
    for (const auto& layer : layers_) x = layer(x);
    auto maps = x.contiguous();  // layer14's output: Grad-CAM's layer
    auto head = [this](const torch::Tensor& m) {
      const auto logits = classifier_(m.mean({2, 3}));
      // Column 521 is NaN: what AudioSet classes without a YAMNet output read.
      const auto padded = torch::cat({logits, torch::full({logits.size(0), 1}, kNaN, logits.options())}, 1);
      return padded.index_select(1, to_audioset_);
    };
    return std::make_unique<TorchForwardPass>(maps, head);
  }

 private:
  static constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
  ModelInfo info_;
  std::unique_ptr<YamnetFrontEnd> frontend_;
  std::vector<YamnetConvLayer> layers_;
  Linear classifier_;
  torch::Tensor to_audioset_;  // per AudioSet index: the YAMNet output, or 521 (NaN)

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

}  // namespace soundlens::detail
