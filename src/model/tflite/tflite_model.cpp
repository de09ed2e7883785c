#include "model/tflite/tflite_model.h"

#include <algorithm>

#include "model/tflite/flatbuffer.h"

namespace soundlens::tflite {
namespace {

// Field ids, in schema.fbs order.
namespace model_field { constexpr int version = 0, operator_codes = 1, subgraphs = 2, buffers = 4; }
namespace code_field { constexpr int deprecated_builtin_code = 0, builtin_code = 3; }
namespace subgraph_field { constexpr int tensors = 0, inputs = 1, outputs = 2, operators = 3; }
namespace tensor_field { constexpr int shape = 0, type = 1, buffer = 2, name = 3, quantization = 4; }
namespace quant_field { constexpr int scale = 2, zero_point = 3, quantized_dimension = 6; }
namespace operator_field { constexpr int opcode_index = 0, inputs = 1, outputs = 2, options_type = 3, options = 4; }
constexpr int kBufferData = 0;

// BuiltinOptions union tags.
constexpr std::uint8_t kConv2DOptions = 1, kDepthwiseConv2DOptions = 2, kFullyConnectedOptions = 8,
                       kReducerOptions = 27;

OperatorOptions read_options(const FbTable& op) {
  OperatorOptions o;
  o.type = op.scalar<std::uint8_t>(operator_field::options_type, 0);
  const auto t = op.table(operator_field::options);
  if (!t) return o;
  if (o.type == kConv2DOptions) {
    o.padding = Padding(t->scalar<std::int8_t>(0, 0));
    o.stride_w = t->scalar<std::int32_t>(1, 0);
    o.stride_h = t->scalar<std::int32_t>(2, 0);
    o.activation = Activation(t->scalar<std::int8_t>(3, 0));
    o.dilation_w = t->scalar<std::int32_t>(4, 1);
    o.dilation_h = t->scalar<std::int32_t>(5, 1);
  } else if (o.type == kDepthwiseConv2DOptions) {
    o.padding = Padding(t->scalar<std::int8_t>(0, 0));
    o.stride_w = t->scalar<std::int32_t>(1, 0);
    o.stride_h = t->scalar<std::int32_t>(2, 0);
    o.depth_multiplier = t->scalar<std::int32_t>(3, 0);
    o.activation = Activation(t->scalar<std::int8_t>(4, 0));
    o.dilation_w = t->scalar<std::int32_t>(5, 1);
    o.dilation_h = t->scalar<std::int32_t>(6, 1);
  } else if (o.type == kFullyConnectedOptions) {
    o.activation = Activation(t->scalar<std::int8_t>(0, 0));
  } else if (o.type == kReducerOptions) {
    o.keep_dims = t->scalar<std::uint8_t>(0, 0) != 0;
  }
  return o;
}

Tensor read_tensor(const FbTable& t) {
  Tensor out;
  out.shape = t.vector<std::int32_t>(tensor_field::shape);
  out.type = TensorType(t.scalar<std::int8_t>(tensor_field::type, 0));
  out.buffer = t.scalar<std::uint32_t>(tensor_field::buffer, 0);
  out.name = t.string(tensor_field::name);
  if (const auto q = t.table(tensor_field::quantization)) {
    out.scale = q->vector<float>(quant_field::scale);
    out.zero_point = q->vector<std::int64_t>(quant_field::zero_point);
    out.quantized_dimension = q->scalar<std::int32_t>(quant_field::quantized_dimension, 0);
  }
  return out;
}

void check_indices(const std::vector<std::int32_t>& indices, std::size_t count, bool optional_allowed,
                   const char* what) {
  for (auto i : indices)
    if (!(i >= 0 && std::size_t(i) < count) && !(optional_allowed && i == -1))
      throw FlatBufferError(std::string(what) + " refers to tensor " + std::to_string(i) + " of " +
                            std::to_string(count));
}

std::size_t element_size(TensorType type) {
  switch (type) {
    case TensorType::float32: case TensorType::int32: return 4;
    case TensorType::int64: return 8;
    case TensorType::float16: return 2;
    case TensorType::int8: case TensorType::uint8: return 1;
  }
  return 0;
}

std::span<const std::uint8_t> data_of(const Model& model, int index, TensorType expected) {
  if (index < 0 || std::size_t(index) >= model.tensors.size())
    throw FlatBufferError("no tensor " + std::to_string(index));
  const auto& t = model.tensors[std::size_t(index)];
  if (t.type != expected) throw FlatBufferError("tensor '" + t.name + "' has an unexpected element type");
  const auto count = element_count(t);
  const auto data = model.buffers[t.buffer];
  if (count < 0 || data.size() != std::size_t(count) * element_size(expected))
    throw FlatBufferError("tensor '" + t.name + "' has " + std::to_string(data.size()) +
                          " bytes of data, which does not match its shape");
  return data;
}

}  // namespace

std::int64_t element_count(const Tensor& tensor) {
  std::int64_t n = 1;
  for (auto d : tensor.shape) {
    if (d < 0) return -1;
    // Checked before multiplying: 2^40 times a 31-bit dimension would overflow.
    if (d > 0 && n > (std::int64_t(1) << 40) / d) return -1;  // larger than any file we accept
    n *= d;
  }
  return n;
}

Model parse_model(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 8 || std::string(reinterpret_cast<const char*>(bytes.data()) + 4, 4) != "TFL3")
    throw FlatBufferError("not a TFLite file (the identifier 'TFL3' is missing)");
  const auto root = FbTable::root(bytes);
  Model m;
  m.version = root.scalar<std::uint32_t>(model_field::version, 0);
  if (m.version != 3) throw FlatBufferError("TFLite schema version " + std::to_string(m.version) + ", expected 3");

  std::vector<std::int32_t> codes;
  for (const auto& c : root.tables(model_field::operator_codes))
    codes.push_back(std::max<std::int32_t>(c.scalar<std::int8_t>(code_field::deprecated_builtin_code, 0),
                                           c.scalar<std::int32_t>(code_field::builtin_code, 0)));
  for (const auto& b : root.tables(model_field::buffers)) m.buffers.push_back(b.bytes(kBufferData));
  if (m.buffers.empty()) m.buffers.emplace_back();  // buffer 0 is the empty sentinel

  const auto subgraphs = root.tables(model_field::subgraphs);
  if (subgraphs.empty()) throw FlatBufferError("the model has no subgraph");
  const auto& graph = subgraphs.front();
  for (const auto& t : graph.tables(subgraph_field::tensors)) {
    m.tensors.push_back(read_tensor(t));
    if (m.tensors.back().buffer >= m.buffers.size())
      throw FlatBufferError("tensor '" + m.tensors.back().name + "' refers to buffer " +
                            std::to_string(m.tensors.back().buffer) + " of " + std::to_string(m.buffers.size()));
  }
  m.inputs = graph.vector<std::int32_t>(subgraph_field::inputs);
  m.outputs = graph.vector<std::int32_t>(subgraph_field::outputs);
  check_indices(m.inputs, m.tensors.size(), false, "the subgraph's inputs");
  check_indices(m.outputs, m.tensors.size(), false, "the subgraph's outputs");
  for (const auto& o : graph.tables(subgraph_field::operators)) {
    Operator op;
    const auto code_index = o.scalar<std::uint32_t>(operator_field::opcode_index, 0);
    if (code_index >= codes.size())
      throw FlatBufferError("an operator refers to operator code " + std::to_string(code_index) + " of " +
                            std::to_string(codes.size()));
    op.code = codes[code_index];
    op.inputs = o.vector<std::int32_t>(operator_field::inputs);
    op.outputs = o.vector<std::int32_t>(operator_field::outputs);
    check_indices(op.inputs, m.tensors.size(), true, "an operator's inputs");
    check_indices(op.outputs, m.tensors.size(), false, "an operator's outputs");
    op.options = read_options(o);
    m.operators.push_back(std::move(op));
  }
  return m;
}

std::vector<float> constant_as_float(const Model& model, int index) {
  if (index < 0 || std::size_t(index) >= model.tensors.size())
    throw FlatBufferError("no tensor " + std::to_string(index));
  const auto& t = model.tensors[std::size_t(index)];
  if (t.type == TensorType::float32) {
    const auto data = data_of(model, index, TensorType::float32);
    std::vector<float> out(data.size() / 4);
    std::memcpy(out.data(), data.data(), data.size());
    return out;
  }
  const auto data = data_of(model, index, TensorType::int8);
  const auto& scale = t.scale;
  const auto dim = t.quantized_dimension;
  const bool per_channel = scale.size() > 1;
  if (scale.empty() || (per_channel && (dim < 0 || std::size_t(dim) >= t.shape.size() ||
                                        std::int64_t(scale.size()) != t.shape[std::size_t(dim)])))
    throw FlatBufferError("int8 tensor '" + t.name + "' has scales that do not fit its shape");
  if (!t.zero_point.empty() && t.zero_point.size() != scale.size())
    throw FlatBufferError("int8 tensor '" + t.name + "' has zero points that do not fit its scales");
  // Elements of one channel along `dim` repeat every `inner` elements.
  std::int64_t inner = 1;
  if (per_channel)
    for (std::size_t d = std::size_t(dim) + 1; d < t.shape.size(); ++d) inner *= t.shape[d];
  std::vector<float> out(data.size());
  for (std::size_t i = 0; i < data.size(); ++i) {
    const std::size_t c = per_channel ? std::size_t((std::int64_t(i) / inner) % std::int64_t(scale.size())) : 0;
    const double zero = t.zero_point.empty() ? 0.0 : double(t.zero_point[c]);
    out[i] = float(double(scale[c]) * (double(std::int8_t(data[i])) - zero));
  }
  return out;
}

std::vector<std::int32_t> constant_as_int32(const Model& model, int index) {
  const auto data = data_of(model, index, TensorType::int32);
  std::vector<std::int32_t> out(data.size() / 4);
  std::memcpy(out.data(), data.data(), data.size());
  return out;
}

}  // namespace soundlens::tflite
