#pragma once
// YAMNet's weights read from its TFLite file, checked to be YAMNet's graph:
// the front end's constants (Hann window, mel matrix), the MobileNetV1 body
// (a 3x3 convolution, then 13 depthwise-separable blocks) and the 521-class
// classifier. Plain values, no Torch: the reader is fuzzed on its own.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace soundlens::tflite {

// One convolution in TFLite layout: CONV_2D [out, kh, kw, in],
// DEPTHWISE_CONV_2D [1, kh, kw, channels]; kh runs over time (frames), kw
// over mel bands. Batch norm is already folded into the bias. SAME padding,
// ReLU after.
struct YamnetConv {
  std::string layer;     // "layer1", "layer2/depthwise", "layer2/pointwise", ...
  bool depthwise = false;
  int stride = 1;
  std::vector<std::int32_t> shape;
  std::vector<float> weight;  // dequantised
  std::vector<float> bias;
  bool was_int8 = false;      // stored as int8 with per-channel scales
};

struct YamnetWeights {
  std::vector<float> window;       // 400: the front end's periodic Hann
  std::vector<float> mel_matrix;   // 64 x 257 (mel band x FFT bin), dequantised
  std::vector<float> mel_bias;     // 64: the log offset (0.001), added before the log
  std::vector<YamnetConv> convs;   // 27 in graph order
  std::vector<float> classifier_weight;  // 521 x 1024
  std::vector<float> classifier_bias;    // 521
};

inline constexpr int kYamnetClasses = 521;
inline constexpr int kYamnetEmbedding = 1024;

// Throws FlatBufferError with what differs from YAMNet's graph.
YamnetWeights read_yamnet(std::span<const std::uint8_t> bytes);

// Reads the file; throws Error(model_not_loaded) naming the file and saying
// what is wrong with it.
YamnetWeights load_yamnet_file(const std::string& path);

// libFuzzer entry point (fuzz/): parses and checks arbitrary bytes, and must
// neither crash nor read outside them. Errors are swallowed.
void parse_tflite_for_fuzzing(const std::uint8_t* data, std::size_t size);

}  // namespace soundlens::tflite
