#include "model/tflite/yamnet_graph.h"

#include <fstream>
#include <iterator>

#include "core/error.h"
#include "model/tflite/flatbuffer.h"
#include "model/tflite/tflite_model.h"

namespace soundlens::tflite {
namespace {

// YAMNet's MobileNetV1 body (tensorflow/models research/audioset/yamnet):
// layer1 is a full 3x3 convolution, layers 2-14 depthwise-separable.
struct LayerSpec {
  int stride, channels;
};
constexpr LayerSpec kLayers[] = {{2, 32},  {1, 64},  {2, 128}, {1, 128}, {2, 256}, {1, 256}, {2, 512},
                                 {1, 512}, {1, 512}, {1, 512}, {1, 512}, {1, 512}, {2, 1024}, {1, 1024}};
constexpr int kMelBands = 64, kFftBins = 257, kWindow = 400;

[[noreturn]] void fail(const std::string& what) { throw FlatBufferError("not YAMNet's graph: " + what); }

const Tensor& tensor(const Model& m, std::int32_t index) {
  if (index < 0) fail("an operator lacks an input");
  return m.tensors[std::size_t(index)];
}

std::string join(const std::vector<std::int32_t>& dims) {
  std::string out;
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (i > 0) out += ',';
    out += std::to_string(dims[i]);
  }
  return out;
}

void expect_shape(const Tensor& t, const std::vector<std::int32_t>& shape, const std::string& what) {
  if (t.shape != shape) fail(what + " has shape [" + join(t.shape) + "], expected [" + join(shape) + "]");
}

YamnetConv read_conv(const Model& m, const Operator& op, const std::string& layer, bool depthwise, int stride,
                     int in, int out) {
  if (op.code != (depthwise ? op::depthwise_conv_2d : op::conv_2d))
    fail(layer + " is not a " + (depthwise ? "DEPTHWISE_CONV_2D" : "CONV_2D"));
  if (op.inputs.size() != 3 || op.outputs.size() != 1) fail(layer + " has unexpected inputs");
  const auto& o = op.options;
  if (o.padding != Padding::same || o.stride_w != stride || o.stride_h != stride || o.dilation_w != 1 ||
      o.dilation_h != 1 || o.activation != Activation::relu || (depthwise && o.depth_multiplier != 1))
    fail(layer + " is not a SAME-padded, stride-" + std::to_string(stride) + " convolution followed by ReLU");
  YamnetConv c;
  c.layer = layer;
  c.depthwise = depthwise;
  c.stride = stride;
  const int kernel = layer == "layer1" || depthwise ? 3 : 1;
  c.shape = depthwise ? std::vector<std::int32_t>{1, kernel, kernel, out}
                      : std::vector<std::int32_t>{out, kernel, kernel, in};
  expect_shape(tensor(m, op.inputs[1]), c.shape, layer + "'s weights");
  expect_shape(tensor(m, op.inputs[2]), {out}, layer + "'s bias");
  c.was_int8 = tensor(m, op.inputs[1]).type == TensorType::int8;
  c.weight = constant_as_float(m, op.inputs[1]);
  c.bias = constant_as_float(m, op.inputs[2]);
  return c;
}

// The front end's constants: the window (MUL by a [400] float constant) and
// the mel matrix (the FULLY_CONNECTED from 257 bins to 64 bands, whose bias
// is the log offset).
void read_front_end(const Model& m, std::size_t body_start, YamnetWeights& w) {
  bool rfft = false, magnitude = false, log = false;
  for (std::size_t i = 0; i < body_start; ++i) {
    const auto& op = m.operators[i];
    rfft |= op.code == op::rfft2d;
    magnitude |= op.code == op::complex_abs;
    log |= op.code == op::log;
    if (op.code == op::mul && op.inputs.size() == 2 && op.inputs[1] >= 0 &&
        tensor(m, op.inputs[1]).shape == std::vector<std::int32_t>{kWindow})
      w.window = constant_as_float(m, op.inputs[1]);
    if (op.code == op::fully_connected) {
      if (op.inputs.size() != 3) fail("the mel matrix multiplication has unexpected inputs");
      expect_shape(tensor(m, op.inputs[1]), {kMelBands, kFftBins}, "the mel matrix");
      expect_shape(tensor(m, op.inputs[2]), {kMelBands}, "the mel offset");
      w.mel_matrix = constant_as_float(m, op.inputs[1]);
      w.mel_bias = constant_as_float(m, op.inputs[2]);
    }
  }
  if (!rfft || !magnitude || !log || w.window.empty() || w.mel_matrix.empty())
    fail("the front end (window, RFFT, magnitude, mel matrix, log) was not found before the first convolution");
}

}  // namespace

YamnetWeights read_yamnet(std::span<const std::uint8_t> bytes) {
  const auto m = parse_model(bytes);
  if (m.inputs.size() != 1 || tensor(m, m.inputs[0]).type != TensorType::float32)
    fail("the input is not one float32 waveform");
  std::size_t first = 0;
  while (first < m.operators.size() && m.operators[first].code != op::conv_2d) ++first;
  // The body, the pooling and the classifier end the graph: 27 convolutions, MEAN, FC, LOGISTIC.
  if (m.operators.size() != first + 27 + 3) fail("the operators after the front end are not YAMNet's");
  YamnetWeights w;
  read_front_end(m, first, w);
  if (first < m.operators.size() && !m.operators[first].inputs.empty())
    expect_shape(tensor(m, m.operators[first].inputs[0]), {1, 96, kMelBands, 1}, "the patch fed to layer1");
  std::size_t at = first;
  int in = 1;
  std::int32_t previous = -1;
  for (int l = 0; l < 14; ++l) {
    const auto name = "layer" + std::to_string(l + 1);
    const auto& spec = kLayers[l];
    auto add = [&](YamnetConv c) {
      const auto& op = m.operators[at++];
      if (previous >= 0 && op.inputs[0] != previous) fail(c.layer + " does not follow the layer before it");
      previous = op.outputs[0];
      w.convs.push_back(std::move(c));
    };
    if (l == 0) {
      add(read_conv(m, m.operators[at], name, false, spec.stride, in, spec.channels));
    } else {
      add(read_conv(m, m.operators[at], name + "/depthwise", true, spec.stride, in, in));
      add(read_conv(m, m.operators[at], name + "/pointwise", false, 1, in, spec.channels));
    }
    in = spec.channels;
  }
  const auto& mean = m.operators[at++];
  const auto& fc = m.operators[at++];
  const auto& logistic = m.operators[at++];
  if (mean.code != op::mean || mean.inputs.empty() || mean.inputs[0] != previous || mean.outputs.size() != 1)
    fail("no MEAN after layer14");
  if (mean.inputs.size() != 2 || constant_as_int32(m, mean.inputs[1]) != std::vector<std::int32_t>{1, 2})
    fail("the pooling does not average over time and frequency");
  if (fc.code != op::fully_connected || fc.inputs.size() != 3 || fc.inputs[0] != mean.outputs[0] ||
      fc.outputs.size() != 1)
    fail("no classifier after the pooling");
  if (fc.options.activation != Activation::none) fail("the classifier has an activation");
  expect_shape(tensor(m, fc.inputs[1]), {kYamnetClasses, kYamnetEmbedding}, "the classifier's weights");
  expect_shape(tensor(m, fc.inputs[2]), {kYamnetClasses}, "the classifier's bias");
  if (logistic.code != op::logistic || logistic.inputs.empty() || logistic.inputs[0] != fc.outputs[0])
    fail("the scores are not the classifier's sigmoid");
  w.classifier_weight = constant_as_float(m, fc.inputs[1]);
  w.classifier_bias = constant_as_float(m, fc.inputs[2]);
  return w;
}

YamnetWeights load_yamnet_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::model_not_loaded, "cannot read the YAMNet file " + path);
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  try {
    return read_yamnet(bytes);
  } catch (const FlatBufferError& e) {
    throw Error(ErrorCode::model_not_loaded, "the YAMNet file " + path + " cannot be used: " + e.what());
  }
}

void parse_tflite_for_fuzzing(const std::uint8_t* data, std::size_t size) {
  try {
    (void)read_yamnet({data, size});
  } catch (const FlatBufferError&) {
  }
}

}  // namespace soundlens::tflite
