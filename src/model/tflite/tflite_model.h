#pragma once
// The parts of a TFLite model (tensorflow/lite/schema/schema.fbs) soundlens
// needs, as plain values: tensors with their quantisation, operators with the
// options of convolutions, and the constant buffers (views into the file's
// bytes, which must outlive the model). Only the first subgraph is read.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace soundlens::tflite {

enum class TensorType : std::int8_t { float32 = 0, float16 = 1, int32 = 2, uint8 = 3, int64 = 4, int8 = 9 };

// BuiltinOperator codes (schema.fbs) of the operators YAMNet's graph uses.
namespace op {
inline constexpr int add = 0, concatenation = 2, conv_2d = 3, depthwise_conv_2d = 4, fully_connected = 9,
                     logistic = 14, mul = 18, reshape = 22, pad = 34, gather = 36, mean = 40, sub = 41,
                     strided_slice = 45, cast = 53, maximum = 55, expand_dims = 70, log = 73, shape = 77,
                     pack = 83, floor_div = 90, zeros_like = 93, range = 96, split_v = 102, ceil = 104,
                     rfft2d = 131, complex_abs = 135;
}

enum class Padding : std::int8_t { same = 0, valid = 1 };
enum class Activation : std::int8_t { none = 0, relu = 1, relu_n1_to_1 = 2, relu6 = 3, tanh = 4, sign_bit = 5 };

struct Tensor {
  std::string name;
  std::vector<std::int32_t> shape;
  TensorType type = TensorType::float32;
  std::uint32_t buffer = 0;                // index into Model::buffers (0: no data)
  std::vector<float> scale;                // quantisation: f = scale * (q - zero_point)
  std::vector<std::int64_t> zero_point;
  std::int32_t quantized_dimension = 0;    // the axis scale and zero_point run along
};

// Conv2DOptions / DepthwiseConv2DOptions / FullyConnectedOptions / ReducerOptions,
// whichever the operator has; unset fields keep the schema's defaults.
struct OperatorOptions {
  std::uint8_t type = 0;  // the BuiltinOptions union's tag (0: none)
  Padding padding = Padding::same;
  std::int32_t stride_w = 1, stride_h = 1, dilation_w = 1, dilation_h = 1, depth_multiplier = 1;
  Activation activation = Activation::none;
  bool keep_dims = false;
};

struct Operator {
  std::int32_t code = 0;  // BuiltinOperator
  std::vector<std::int32_t> inputs, outputs;  // tensor indices; -1: optional input left out
  OperatorOptions options;
};

struct Model {
  std::uint32_t version = 0;
  std::vector<Tensor> tensors;
  std::vector<Operator> operators;
  std::vector<std::int32_t> inputs, outputs;
  std::vector<std::span<const std::uint8_t>> buffers;
};

// Parses a TFLite flatbuffer; tensor, buffer and operator-code indices are
// checked. Throws FlatBufferError (without a file name) on anything malformed.
Model parse_model(std::span<const std::uint8_t> bytes);

// A constant tensor as float: float32 copied, int8 dequantised per channel
// (scale and zero point along quantized_dimension). Throws FlatBufferError
// when the tensor has no data, a size that does not match its shape, or
// quantisation that does not fit it.
std::vector<float> constant_as_float(const Model& model, int tensor);
std::vector<std::int32_t> constant_as_int32(const Model& model, int tensor);

std::int64_t element_count(const Tensor& tensor);  // -1 for a dynamic or negative dimension

}  // namespace soundlens::tflite
