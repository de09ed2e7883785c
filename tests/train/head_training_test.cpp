#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "model/trained_head.h"
#include "train/metrics.h"

namespace soundlens {
namespace {

constexpr int kDims = 16;

// Gaussian blobs: class c's embeddings centred on 5 * e_c (plus an offset and scale the head must standardise away).
struct Blobs {
  std::vector<float> x;
  std::vector<int> y;
  int rows = 0;
};
Blobs blobs(int per_class, int classes, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0, 1);
  Blobs b;
  for (int c = 0; c < classes; ++c)
    for (int i = 0; i < per_class; ++i) {
      for (int d = 0; d < kDims; ++d) b.x.push_back(float(100 + 50 * (noise(rng) + (d == c ? 5 : 0))));
      b.y.push_back(c);
      ++b.rows;
    }
  return b;
}

double accuracy(const TrainedHead& head, const Blobs& test, bool negative) {
  int right = 0;
  for (int r = 0; r < test.rows; ++r) {
    auto logits = head_logits(head, std::span<const float>(test.x.data() + r * kDims, kDims));
    for (auto& v : logits) v = 1 / (1 + std::exp(-v));
    const int predicted = predicted_class(logits, negative);
    right += predicted == (negative && test.y[std::size_t(r)] == head.classes() ? -1 : test.y[std::size_t(r)]);
  }
  return double(right) / test.rows;
}

TEST(HeadTrainingTest, LogisticAndMlpHeadsSeparateBlobsTheyWereNotTrainedOn) {
  const auto train = blobs(30, 4, 1), test = blobs(50, 4, 2);
  for (int hidden : {0, 32}) {
    HeadTrainingData d;
    d.embeddings = train.x;
    d.rows = train.rows;
    d.dims = kDims;
    d.scores = 4;
    d.negative_class = true;  // the fourth blob is "none"
    d.single_targets = train.y;
    HeadTrainingOptions o;
    o.hidden = hidden;
    const auto head = train_head(d, o);
    EXPECT_EQ(head.classes(), 3);
    EXPECT_EQ(head.kind(), hidden ? "mlp" : "logistic");
    EXPECT_GE(accuracy(head, test, true), 0.95) << head.kind();
  }
}

TEST(HeadTrainingTest, MultiLabelHeadsLearnEachClassOnItsOwn) {
  // Two independent features: class 0 when x0 is high, class 1 when x1 is high.
  std::mt19937_64 rng(5);
  std::normal_distribution<double> noise(0, 0.3);
  std::vector<float> x, t;
  int rows = 0;
  for (int a = 0; a < 2; ++a)
    for (int b = 0; b < 2; ++b)
      for (int i = 0; i < 25; ++i, ++rows) {
        for (int d = 0; d < kDims; ++d) x.push_back(float((d == 0 ? a : d == 1 ? b : 0) * 2 + noise(rng)));
        t.push_back(float(a));
        t.push_back(float(b));
      }
  HeadTrainingData d;
  d.embeddings = x;
  d.rows = rows;
  d.dims = kDims;
  d.scores = 2;
  d.multi_label = true;
  d.multi_targets = t;
  const auto head = train_head(d, {});
  std::vector<float> both(kDims, 0.0f), neither(kDims, 0.0f);
  both[0] = both[1] = 2;
  const auto on = head_logits(head, both), off = head_logits(head, neither);
  EXPECT_GT(on[0], 1);
  EXPECT_GT(on[1], 1);
  EXPECT_LT(off[0], -1);
  EXPECT_LT(off[1], -1);
}

TEST(HeadTrainingTest, TooLittleDataIsAClearError) {
  HeadTrainingData d;
  d.rows = 1;
  d.dims = 2;
  d.scores = 2;
  const std::vector<float> x{1, 2};
  d.embeddings = x;
  EXPECT_THROW(train_head(d, {}), std::exception);
}

}  // namespace
}  // namespace soundlens
