// FrontEnd::compute_after: a window that continues an earlier one copies the
// frames both read whole from their samples, and the result is compute()'s
// bit for bit, for EfficientAT (which copies) and the front ends that do not,
// at the stream's 5 s hop, at hops that are not whole frames, with the last
// window shorter, with no overlap at all, and with the earlier window short.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

#include "features/mel_spectrogram.h"
#include "features/yamnet_frontend.h"

namespace soundlens {
namespace {

// Noise with a slow chirp: every frame differs from its neighbours.
std::vector<float> signal(std::size_t n) {
  std::mt19937 rng(7);
  std::normal_distribution<float> noise(0, 0.05f);
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = double(i) / 32000;
    x[i] = float(0.3 * std::sin(2 * M_PI * (200 + 300 * t) * t)) + noise(rng);
  }
  return x;
}

bool same_bits(const MelSpectrogram& a, const MelSpectrogram& b) {
  return a.n_mels == b.n_mels && a.n_frames == b.n_frames && a.values.size() == b.values.size() &&
         std::memcmp(a.values.data(), b.values.data(), a.values.size() * sizeof(float)) == 0;
}

void expect_continuation_is_exact(const FrontEnd& fe, const std::vector<float>& x, std::size_t earlier_start,
                                  std::size_t earlier_length, std::size_t start, std::size_t length) {
  const std::span<const float> all(x);
  const auto earlier = fe.compute(all.subspan(earlier_start, earlier_length));
  const auto window = all.subspan(start, length);
  const auto want = fe.compute(window);
  const auto got = fe.compute_after(window, earlier, earlier_length, start - earlier_start);
  EXPECT_TRUE(same_bits(got, want)) << fe.description() << ": earlier " << earlier_start << "+" << earlier_length
                                    << ", window " << start << "+" << length;
}

TEST(FramesAfter, AContinuedWindowIsComputesOwnBitForBit) {
  const auto x = signal(32000 * 25);
  const auto efficientat = make_efficientat_frontend();
  const auto panns = make_panns_frontend();
  const auto yamnet = make_yamnet_frontend();
  for (const FrontEnd* fe : std::initializer_list<const FrontEnd*>{efficientat.get(), panns.get(), yamnet.get()}) {
    expect_continuation_is_exact(*fe, x, 0, 320000, 160000, 320000);        // the stream's 10 s / 5 s
    expect_continuation_is_exact(*fe, x, 160000, 320000, 320000, 320000);
    expect_continuation_is_exact(*fe, x, 0, 320000, 160000 + 17, 320000);   // not a whole frame later
    expect_continuation_is_exact(*fe, x, 0, 320000, 320, 320000);           // one frame later
    expect_continuation_is_exact(*fe, x, 160000, 320000, 480000, 320000 - 123);  // the last, shorter
    expect_continuation_is_exact(*fe, x, 0, 320000, 480000, 320000);       // no overlap
    expect_continuation_is_exact(*fe, x, 0, 1000, 640, 320000);             // a short earlier window
    expect_continuation_is_exact(*fe, x, 0, 1, 320, 50000);                 // one sample earlier
    expect_continuation_is_exact(*fe, x, 0, 31200, 15360, 31200);           // YAMNet's 0.975 s every 0.48 s
    expect_continuation_is_exact(*fe, x, 15360, 31200, 30720, 31200 - 777); // ... and its last, shorter
    expect_continuation_is_exact(*fe, x, 0, 31200, 31200, 31200);           // ... touching, no overlap
    expect_continuation_is_exact(*fe, x, 0, 31200, 640, 31200);             // ... two frames later
  }
}

// Copied frames are the earlier spectrogram's: with every earlier value set to
// -99, a frame of -99 shows where copying happened (and that it did: otherwise
// the saving is not there). The window of `length` samples continues the one
// of the same length `shift` samples before it; frames[t] is true when copied.
std::vector<bool> copied_frames(const FrontEnd& fe, std::size_t length, std::size_t shift) {
  const auto x = signal(length + shift);
  const std::span<const float> all(x);
  auto earlier = fe.compute(all.subspan(0, length));
  for (auto& v : earlier.values) v = -99.0f;
  const auto got = fe.compute_after(all.subspan(shift, length), earlier, length, shift);
  std::vector<bool> frames;
  for (int t = 0; t < got.n_frames; ++t) frames.push_back(got.values[std::size_t(t)] == -99.0f);
  return frames;
}

TEST(FramesAfter, YamnetCopiesAboutHalfOfAPatchAtItsHop) {
  const auto frames = copied_frames(*make_yamnet_frontend(), 31200, 15360);
  ASSERT_EQ(frames.size(), 96u);
  EXPECT_EQ(std::count(frames.begin(), frames.end(), true), 46);  // frames 1..46: the taps reach neither edge
  EXPECT_FALSE(frames[0]);   // its taps reach before this window: computed
  EXPECT_FALSE(frames[47]);  // its taps reach past the earlier window: computed
}

TEST(FramesAfter, EfficientAtCopiesAboutHalfOfAWindowAtTheStreamsHop) {
  const auto frames = copied_frames(*make_efficientat_frontend(), 320000, 160000);
  const auto copied = std::count(frames.begin(), frames.end(), true);
  EXPECT_GE(copied, 495);  // frames 2..498 of 1000: both read only the windows' own samples
  EXPECT_LE(copied, 500);
  EXPECT_FALSE(frames[0]);  // the first frames read the reflected padding: computed
}

}  // namespace
}  // namespace soundlens
