// WindowStream cuts the same windows as plan_windows, whatever the blocks.
#include "analysis/window_stream.h"

#include <gtest/gtest.h>

#include <numeric>

namespace soundlens {
namespace {

struct Cut {
  std::vector<WindowSpan> spans;
  bool samples_match = true;
  std::size_t most_held = 0;
};

Cut cut(std::size_t total, std::size_t window, std::size_t hop, std::size_t block) {
  std::vector<float> samples(total);
  std::iota(samples.begin(), samples.end(), 0.0f);  // sample i holds i (exact in float below 2^24)
  WindowStream stream(window, hop);
  Cut out;
  const auto emit = [&](const WindowSpan& span, std::span<const float> s) {
    out.spans.push_back(span);
    if (s.size() != span.length) out.samples_match = false;
    for (std::size_t i = 0; i < s.size(); ++i)
      if (s[i] != float(span.start + i)) out.samples_match = false;
  };
  for (std::size_t at = 0; at < total; at += block) {
    stream.push(std::span<const float>(samples.data() + at, std::min(block, total - at)), emit);
    out.most_held = std::max(out.most_held, stream.held());
  }
  stream.finish(emit);
  return out;
}

TEST(WindowStream, CutsExactlyThePlannedWindowsWithTheirSamples) {
  for (std::size_t total : {1ul, 99ul, 100ul, 101ul, 150ul, 199ul, 200ul, 201ul, 1000ul, 1037ul, 100000ul})
    for (std::size_t block : {1ul, 7ul, 64ul, 100ul, 4096ul, 200000ul})
      for (auto [window, hop] : {std::pair{100ul, 50ul}, {100ul, 20ul}, {100ul, 100ul}, {100ul, 33ul}}) {
        const auto planned = plan_windows(total, window, hop);
        const auto got = cut(total, window, hop, block);
        ASSERT_EQ(got.spans.size(), planned.size()) << total << " " << block << " " << window << "/" << hop;
        for (std::size_t w = 0; w < planned.size(); ++w) {
          EXPECT_EQ(got.spans[w].start, planned[w].start) << total << " " << block << " window " << w;
          EXPECT_EQ(got.spans[w].length, planned[w].length) << total << " " << block << " window " << w;
        }
        EXPECT_TRUE(got.samples_match) << total << " " << block;
      }
}

TEST(WindowStream, HoldsAboutOneWindowNotTheRecording) {
  // 10 s windows every 5 s at 32 kHz over 10 minutes, in 64 K blocks.
  const std::size_t window = 320000, hop = 160000, total = 32000ul * 600, block = 1 << 16;
  const auto got = cut(total, window, hop, block);
  EXPECT_EQ(got.spans.size(), plan_windows(total, window, hop).size());
  EXPECT_LE(got.most_held, 2 * window + block + hop);
}

// A live stream's window is analysed when its last sample arrives, not when a later one does:
// blocks that end exactly on a window's end give that window at once.
TEST(WindowStream, GivesAWindowAsSoonAsItsLastSampleIsIn) {
  const std::size_t window = 64000, hop = 16000;  // 2 s every 0.5 s at 32 kHz
  WindowStream stream(window, hop);
  std::vector<float> block(hop, 0.25f);
  std::vector<WindowSpan> got;
  const auto emit = [&](const WindowSpan& span, std::span<const float>) { got.push_back(span); };
  for (int i = 0; i < 3; ++i) stream.push(block, emit);
  EXPECT_TRUE(got.empty());  // 1.5 s: no window is complete
  stream.push(block, emit);  // 2 s: the first window's last sample
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].start, 0u);
  stream.push(block, emit);  // 2.5 s: the second
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].start, hop);
  stream.finish(emit);  // ending there: the last window (0.5 s to 2.5 s) was already given
  EXPECT_EQ(got.size(), 2u);
}

}  // namespace
}  // namespace soundlens
