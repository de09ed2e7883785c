// The frame evidence given frame by frame as it settles (FrameStitcher with a
// sink) against the evidence held whole: the same frames, bit for bit, in
// order, with and without the columns' own evidence, with windows that land
// on the grid by rounding, and a recording that ends inside its last window;
// and a window out of order refused once its frames were given.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "analysis/frame_evidence.h"
#include "core/error.h"

namespace soundlens {
namespace {

TEST(FrameStitcher, FramesGivenAsTheySettleEqualTheEvidenceHeldWhole) {
  constexpr double kSpf = 0.32;
  for (unsigned seed = 1; seed <= 60; ++seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> logit(-8, 8);
    const int classes = 1 + int(rng() % 9);
    const bool pooled = seed % 2 == 0;
    const int columns = 3 + int(rng() % 30);                     // a window's columns
    const double hop_s = kSpf * (1 + double(rng() % std::size_t(columns))) + 0.01 * (seed % 3);  // windows overlap
    const int windows = 1 + int(rng() % 40);
    FrameStitcher whole(kSpf, classes);
    std::vector<float> got, got_columns;
    FrameStitcher settling(kSpf, classes, [&](std::span<const float> p, std::span<const float> c) {
      ASSERT_EQ(p.size(), std::size_t(classes));
      ASSERT_EQ(c.size(), pooled ? std::size_t(classes) : 0u);
      got.insert(got.end(), p.begin(), p.end());
      got_columns.insert(got_columns.end(), c.begin(), c.end());
    });
    for (int w = 0; w < windows; ++w) {
      std::vector<float> l(std::size_t(columns * classes)), own;
      for (auto& v : l) v = logit(rng);
      if (seed % 5 == 0) l[0] = NAN;  // a class without output stays NaN
      if (pooled) {
        own.resize(l.size());
        for (auto& v : own) v = logit(rng);
      }
      whole.add(w * hop_s, l, own);
      settling.add(w * hop_s, l, own);
    }
    const double duration_s = ((windows - 1) * hop_s + columns * kSpf) - 0.5 * kSpf * (seed % 2);
    const FrameEvidence want = std::move(whole).finish(duration_s);
    const FrameEvidence grid = std::move(settling).finish(duration_s);
    EXPECT_TRUE(grid.probabilities.empty() && grid.columns.empty());
    EXPECT_EQ(grid.seconds_per_frame, kSpf);
    EXPECT_EQ(grid.classes, classes);
    ASSERT_EQ(got.size(), want.probabilities.size()) << "seed " << seed;
    for (std::size_t i = 0; i < got.size(); ++i) {
      if (std::isnan(want.probabilities[i]))
        EXPECT_TRUE(std::isnan(got[i]));
      else
        EXPECT_EQ(got[i], want.probabilities[i]) << "seed " << seed << " value " << i;  // bit for bit
    }
    ASSERT_EQ(got_columns.size(), want.columns.size());
    for (std::size_t i = 0; i < got_columns.size(); ++i) EXPECT_EQ(got_columns[i], want.columns[i]);
  }
}

TEST(FrameStitcher, AWindowBeforeFramesAlreadyGivenIsRefused) {
  FrameStitcher settling(0.5, 1, [](std::span<const float>, std::span<const float>) {});
  const std::vector<float> l(4, 0.0f);
  settling.add(0, l);
  settling.add(1.0, l);  // frames 0 and 1 go to the sink
  EXPECT_THROW(settling.add(0.0, l), Error);
}

}  // namespace
}  // namespace soundlens
