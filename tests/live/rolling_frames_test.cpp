// The rolling frames give, frame by frame, what the offline analysis builds
// over the whole recording: FrameStitcher's means and window_presence's say.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "analysis/frame_evidence.h"
#include "analysis/windowing.h"
#include "events/frame_events.h"
#include "live/rolling_frames.h"

namespace soundlens {
namespace {

TEST(RollingFrames, SettledFramesEqualTheOfflineStitchAndPresence) {
  constexpr double kSpf = 0.32, kRate = 32000;
  constexpr int kClasses = 5, kColumns = 6;  // a 2 s window has 6 columns of 0.32 s
  std::mt19937 rng(7);
  std::normal_distribution<float> logit(-1, 2);
  std::uniform_real_distribution<float> u(0, 0.3f);
  for (std::size_t total : {std::size_t(64000), std::size_t(200000), std::size_t(321234)}) {
    const auto spans = plan_windows(total, 64000, 16000);
    struct W { double start, end; std::vector<float> p, logits, columns; };
    std::vector<W> windows;
    for (const auto& s : spans) {
      W w{s.start / kRate, (s.start + s.length) / kRate, {}, {}, {}};
      for (int c = 0; c < kClasses; ++c) w.p.push_back(u(rng));
      for (int i = 0; i < kColumns * kClasses; ++i) w.logits.push_back(logit(rng));
      for (int i = 0; i < kColumns * kClasses; ++i) w.columns.push_back(logit(rng));  // each column's own
      windows.push_back(std::move(w));
    }
    // Offline.
    FrameStitcher stitch(kSpf, kClasses);
    std::vector<WindowProbabilities> heard;
    for (const auto& w : windows) {
      stitch.add(w.start, w.logits, w.columns);
      heard.push_back({w.start, w.end, w.p});
    }
    const double duration = total / kRate;
    const FrameEvidence want = std::move(stitch).finish(duration);
    const std::vector<int> asked{3};
    const auto present = window_presence(heard, kSpf, want.frames(), kClasses, 0.15, 0.1, asked);
    // Live: windows one by one, frames settled as soon as no later window reaches them.
    RollingFrames live(kSpf, kClasses, asked, 0.15, 0.1);
    std::vector<float> got;
    std::vector<char> got_present;
    std::vector<float> got_columns;
    const auto take = [&](std::span<const float> p, std::span<const char> pr, std::span<const float> columns) {
      got.insert(got.end(), p.begin(), p.end());
      got_columns.insert(got_columns.end(), columns.begin(), columns.end());
      got_present.insert(got_present.end(), pr.begin(), pr.end());
    };
    std::size_t most_held = 0;
    for (std::size_t i = 0; i < windows.size(); ++i) {
      live.add_window(windows[i].start, windows[i].end, windows[i].p, windows[i].logits, windows[i].columns);
      live.settle(live.settled_before(windows[i].start + 1 / kRate), take);
      most_held = std::max(most_held, live.held());
    }
    live.settle(live.frames_of(duration), take);
    ASSERT_EQ(got.size(), want.probabilities.size()) << total;
    for (std::size_t i = 0; i < got.size(); ++i) ASSERT_FLOAT_EQ(got[i], want.probabilities[i]) << total << " " << i;
    ASSERT_EQ(got_columns.size(), want.columns.size()) << total;
    for (std::size_t i = 0; i < got_columns.size(); ++i) ASSERT_FLOAT_EQ(got_columns[i], want.columns[i]) << total << " " << i;
    EXPECT_EQ(got_present, present) << total;
    EXPECT_LE(most_held, std::size_t(kColumns + 2));  // one window's frames, not the recording's
  }
}

}  // namespace
}  // namespace soundlens
