// The TFLite reader on the real YAMNet file and on broken copies of it: every
// malformed input must give a clear error and never a read outside the bytes
// (the sanitize label runs this under ASan + UBSan).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/error.h"
#include "model/tflite/flatbuffer.h"
#include "model/tflite/tflite_model.h"
#include "model/tflite/yamnet_graph.h"

namespace soundlens::tflite {
namespace {

const std::string kFile = std::string(SOUNDLENS_SHARED_DIR) + "/models/yamnet/yamnet.tflite";

std::vector<std::uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class YamnetReader : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kFile)) GTEST_SKIP() << kFile << " is not here";
    bytes_ = read_bytes(kFile);
  }
  std::vector<std::uint8_t> bytes_;
};

std::uint32_t u32(const std::vector<std::uint8_t>& b, std::size_t at) {
  std::uint32_t v;
  std::memcpy(&v, b.data() + at, 4);
  return v;
}
void put_u32(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) { std::memcpy(b.data() + at, &v, 4); }

// Where field `field` of the table at `table` is stored (0 if absent): the same
// format rules the reader follows, written out again for the test.
std::size_t field_at(const std::vector<std::uint8_t>& b, std::size_t table, int field) {
  std::int32_t back;
  std::memcpy(&back, b.data() + table, 4);
  const std::size_t vtable = table - back;
  std::uint16_t vsize, offset;
  std::memcpy(&vsize, b.data() + vtable, 2);
  if (4 + 2 * field + 2 > vsize) return 0;
  std::memcpy(&offset, b.data() + vtable + 4 + 2 * field, 2);
  return offset ? table + offset : 0;
}
std::size_t deref(const std::vector<std::uint8_t>& b, std::size_t at) { return at + u32(b, at); }

TEST_F(YamnetReader, ReadsTheGraphAndDequantisesTheWeights) {
  const auto w = read_yamnet(bytes_);
  ASSERT_EQ(w.convs.size(), 27u);
  EXPECT_EQ(w.convs.front().layer, "layer1");
  EXPECT_EQ(w.convs.back().layer, "layer14/pointwise");
  EXPECT_EQ(w.convs.back().shape, (std::vector<std::int32_t>{1024, 1, 1, 1024}));
  EXPECT_FALSE(w.convs.front().was_int8);
  EXPECT_TRUE(w.convs.back().was_int8);
  EXPECT_EQ(w.classifier_weight.size(), 521u * 1024u);
  EXPECT_EQ(w.mel_matrix.size(), 64u * 257u);
  ASSERT_EQ(w.mel_bias.size(), 64u);
  EXPECT_FLOAT_EQ(w.mel_bias[0], 0.001f);
  // The window is a periodic Hann of 400 samples.
  ASSERT_EQ(w.window.size(), 400u);
  for (int n = 0; n < 400; ++n) EXPECT_NEAR(w.window[n], 0.5 - 0.5 * std::cos(2 * M_PI * n / 400), 1e-6);
  for (const auto& c : w.convs)
    for (float v : c.weight) ASSERT_TRUE(std::isfinite(v)) << c.layer;
}

TEST_F(YamnetReader, Int8WeightsAreScaledPerOutputChannel) {
  // Dequantised by hand from the raw int8 bytes and the scales of the classifier.
  const auto m = parse_model(bytes_);
  int fc = -1;
  for (std::size_t i = 0; i < m.tensors.size(); ++i)
    if (m.tensors[i].shape == std::vector<std::int32_t>{521, 1024}) fc = int(i);
  ASSERT_GE(fc, 0);
  const auto& t = m.tensors[std::size_t(fc)];
  ASSERT_EQ(t.type, TensorType::int8);
  ASSERT_EQ(t.scale.size(), 521u);
  const auto raw = m.buffers[t.buffer];
  const auto w = constant_as_float(m, fc);
  for (int row : {0, 7, 520})
    for (int col : {0, 500, 1023})
      EXPECT_EQ(w[row * 1024 + col], float(double(t.scale[row]) * std::int8_t(raw[row * 1024 + col])));
  // The depthwise weights [1, 3, 3, C] are scaled along their last axis.
  const auto yw = read_yamnet(bytes_);
  const auto& dw = yw.convs[25];  // layer14/depthwise
  ASSERT_TRUE(dw.depthwise);
  ASSERT_TRUE(dw.was_int8);
  double peak_first = 0, peak_last = 0;
  for (int k = 0; k < 9; ++k) {
    peak_first = std::max(peak_first, std::abs(double(dw.weight[k * 1024 + 0])));
    peak_last = std::max(peak_last, std::abs(double(dw.weight[k * 1024 + 1023])));
  }
  // Symmetric per-channel int8: each channel's largest weight is 127 steps of its own scale.
  const auto mm = parse_model(bytes_);
  for (const auto& tt : mm.tensors)
    if (tt.shape == std::vector<std::int32_t>{1, 3, 3, 1024}) {
      EXPECT_NEAR(peak_first, 127 * tt.scale[0], 1e-6 * peak_first);
      EXPECT_NEAR(peak_last, 127 * tt.scale[1023], 1e-6 * peak_last);
    }
}

void expect_refused(const std::vector<std::uint8_t>& bytes, const std::string& needle) {
  try {
    (void)read_yamnet(bytes);
    FAIL() << "accepted a broken file (expected: " << needle << ")";
  } catch (const FlatBufferError& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
  parse_tflite_for_fuzzing(bytes.data(), bytes.size());  // must not crash either
}

TEST_F(YamnetReader, RefusesAWrongMagicNumber) {
  auto b = bytes_;
  std::memcpy(b.data() + 4, "TFL2", 4);
  expect_refused(b, "TFL3");
}

TEST_F(YamnetReader, RefusesEveryTruncation) {
  for (std::size_t size : {std::size_t(0), std::size_t(3), std::size_t(8), std::size_t(64), std::size_t(4096),
                           bytes_.size() / 2, bytes_.size() - 1}) {
    std::vector<std::uint8_t> b(bytes_.begin(), bytes_.begin() + std::ptrdiff_t(size));
    EXPECT_THROW((void)read_yamnet(b), FlatBufferError) << size << " bytes";
    parse_tflite_for_fuzzing(b.data(), b.size());
  }
}

TEST_F(YamnetReader, RefusesABufferIndexOutOfRange) {
  // Tensor 0's buffer field (Model.subgraphs[0].tensors[0].buffer) set past the buffer list.
  auto b = bytes_;
  const std::size_t root = u32(b, 0);
  const auto graphs = deref(b, field_at(b, root, 2));
  const auto graph = deref(b, graphs + 4);
  const auto tensors = deref(b, field_at(b, graph, 0));
  const auto first_tensor = deref(b, tensors + 4);
  const auto buffer_field = field_at(b, first_tensor, 2);
  ASSERT_NE(buffer_field, 0u) << "tensor 0 stores no buffer index to break";
  put_u32(b, buffer_field, 100000);
  expect_refused(b, "buffer 100000");
}

TEST_F(YamnetReader, RefusesATableOffsetOutsideTheFile) {
  auto b = bytes_;
  put_u32(b, 0, std::uint32_t(b.size() + 16));  // the root table
  expect_refused(b, "outside the file");
  b = bytes_;
  const std::size_t root = u32(b, 0);
  const auto graphs_field = field_at(b, root, 2);  // the subgraphs vector
  put_u32(b, graphs_field, 0xfffffff0u);
  expect_refused(b, "outside the file");
  b = bytes_;
  const auto graph = deref(b, deref(b, graphs_field) + 4);
  put_u32(b, deref(b, graphs_field) + 4, 0x7ffffff0u);  // the subgraph table itself
  expect_refused(b, "outside the file");
  (void)graph;
}

TEST_F(YamnetReader, RefusesAVectorLongerThanTheFile) {
  auto b = bytes_;
  const std::size_t root = u32(b, 0);
  const auto buffers = deref(b, field_at(b, root, 4));
  put_u32(b, buffers, 0x40000000u);  // element count
  expect_refused(b, "past the end of the file");
}

TEST_F(YamnetReader, RefusesAVtableOutsideTheFile) {
  auto b = bytes_;
  const std::size_t root = u32(b, 0);
  const std::int32_t far = -std::int32_t(b.size());
  std::memcpy(b.data() + root, &far, 4);
  expect_refused(b, "outside the file");
}

TEST_F(YamnetReader, RefusesAnotherGraph) {
  // Change layer14's pointwise weights from [1024,1,1,1024] to [1024,1,1,1023]: shape check.
  auto b = bytes_;
  auto m = parse_model(b);
  const std::size_t root = u32(b, 0);
  const auto graph = deref(b, deref(b, field_at(b, root, 2)) + 4);
  const auto tensors = deref(b, field_at(b, graph, 0));
  for (std::size_t i = 0; i < m.tensors.size(); ++i) {
    if (m.tensors[i].shape != std::vector<std::int32_t>{1024, 1, 1, 1024}) continue;
    const auto t = deref(b, tensors + 4 + 4 * i);
    const auto shape = deref(b, field_at(b, t, 0));
    put_u32(b, shape + 4 + 12, 1023);
  }
  expect_refused(b, "layer14/pointwise's weights has shape [1024,1,1,1023]");
  // An operator code changed: layer7's depthwise convolution becomes an ordinary one.
  b = bytes_;
  const auto ops = deref(b, field_at(b, graph, 3));
  std::size_t conv_index = 0;
  for (std::size_t i = 0; i < m.operators.size(); ++i)
    if (m.operators[i].code == op::conv_2d) {
      conv_index = i;
      break;
    }
  const auto layer7_dw = deref(b, ops + 4 + 4 * (conv_index + 11));
  const auto dw_code = field_at(b, layer7_dw, 0);
  put_u32(b, dw_code, u32(b, field_at(b, deref(b, ops + 4 + 4 * conv_index), 0)));
  expect_refused(b, "layer7/depthwise is not a DEPTHWISE_CONV_2D");
}

TEST(YamnetReaderFile, ErrorNamesTheFile) {
  const auto dir = std::filesystem::temp_directory_path() / "soundlens_yamnet_reader_test";
  std::filesystem::create_directories(dir);
  const auto path = (dir / "broken.tflite").string();
  std::ofstream(path, std::ios::binary) << "not a model at all, just text";
  try {
    (void)load_yamnet_file(path);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::model_not_loaded);
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("TFL3"), std::string::npos);
  }
  std::filesystem::remove_all(dir);
  EXPECT_THROW((void)load_yamnet_file(path), Error);  // missing file
}

TEST(YamnetReaderFuzz, RandomBytesNeverCrash) {
  std::uint32_t state = 12345;
  std::vector<std::uint8_t> b(512);
  for (int round = 0; round < 2000; ++round) {
    for (auto& x : b) x = std::uint8_t((state = state * 1664525u + 1013904223u) >> 24);
    std::memcpy(b.data() + 4, "TFL3", 4);
    parse_tflite_for_fuzzing(b.data(), b.size());
  }
}

// A shape whose product passes 2^40 only at its last dimension must say
// "too large", not overflow (signed overflow is undefined behaviour).
TEST(TfliteTensor, ElementCountOfAHugeShapeIsRefusedWithoutOverflow) {
  Tensor t;
  t.shape = {1 << 20, 1 << 20, 2147483647};
  EXPECT_EQ(element_count(t), -1);
  t.shape = {1 << 20, 1 << 20};
  EXPECT_EQ(element_count(t), std::int64_t(1) << 40);
  t.shape = {3, 0, 2147483647};
  EXPECT_EQ(element_count(t), 0);
}

}  // namespace
}  // namespace soundlens::tflite
