// The render stage's parts on their own: ticks, colormaps, layout, raster.
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "render/colormap.h"
#include "render/layout.h"
#include "render/raster.h"
#include "render/ticks.h"
#include "synthetic.h"

namespace soundlens::render {
namespace {

std::vector<std::string> labels(const std::vector<Tick>& ticks) {
  std::vector<std::string> out;
  for (const Tick& t : ticks) out.push_back(t.label);
  return out;
}

TEST(RenderTicks, TimeTicksAreRoundNumbers) {
  EXPECT_EQ(labels(time_ticks(10.0, 1.0)),
            (std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}));
  EXPECT_EQ(labels(time_ticks(0.1, 0.02)),
            (std::vector<std::string>{"0.00", "0.02", "0.04", "0.06", "0.08", "0.10"}));
  EXPECT_EQ(labels(time_ticks(9.99, 2.0)), (std::vector<std::string>{"0", "2", "4", "6", "8"}));
  EXPECT_EQ(labels(time_ticks(0.3, 0.05)).back(), "0.30");
}

TEST(RenderTicks, LongRecordingsUseMinutes) {
  EXPECT_FALSE(time_axis_uses_minutes(120));
  EXPECT_TRUE(time_axis_uses_minutes(121));
  EXPECT_EQ(labels(time_ticks(3600, 600)),
            (std::vector<std::string>{"0:00", "10:00", "20:00", "30:00", "40:00", "50:00", "1:00:00"}));
  EXPECT_EQ(format_time(90, 30, true), "1:30");
  const auto steps = time_step_candidates(3600);
  EXPECT_NE(std::find(steps.begin(), steps.end(), 300.0), steps.end());
  EXPECT_EQ(std::find(steps.begin(), steps.end(), 200.0), steps.end()) << "200 s is not a clock step";
}

TEST(RenderTicks, HzLabels) {
  EXPECT_EQ(format_hz(100), "100");
  EXPECT_EQ(format_hz(1000), "1k");
  EXPECT_EQ(format_hz(15000), "15k");
  EXPECT_EQ(format_hz(2500), "2.5k");
}

TEST(RenderTicks, FrequenciesArePlacedOnTheMelScale) {
  const std::vector<float> c = synthetic::mel_centres(128);
  EXPECT_FALSE(mel_bin_position(c, 1.0).has_value()) << "below the lowest centre";
  EXPECT_FALSE(mel_bin_position(c, 20000.0).has_value());
  EXPECT_NEAR(*mel_bin_position(c, c[40]), 40.0, 1e-6);
  // Between two centres the position follows mel, not Hz.
  const double mid_mel_hz = 700 * std::expm1((1127 * std::log1p(c[10] / 700.0) +
                                              1127 * std::log1p(c[11] / 700.0)) / 2 / 1127);
  EXPECT_NEAR(*mel_bin_position(c, mid_mel_hz), 10.5, 1e-4);
  // Mel is between linear and logarithmic: the 4-8 kHz octave gets more bins
  // than 500 Hz-1 kHz (it would get the same on a log axis) but far fewer
  // than the 8x a linear axis gives it.
  const double b500 = *mel_bin_position(c, 500), b1k = *mel_bin_position(c, 1000);
  const double b4k = *mel_bin_position(c, 4000), b8k = *mel_bin_position(c, 8000);
  const double ratio = (b8k - b4k) / (b1k - b500);
  EXPECT_GT(ratio, 1.3);
  EXPECT_LT(ratio, 3.0);
  EXPECT_LT(b500, b1k);
  EXPECT_LT(b4k, b8k);
}

TEST(RenderTicks, ValueTicksCoverTheRange) {
  EXPECT_EQ(labels(value_ticks(0, 1, 6)), (std::vector<std::string>{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}));
  EXPECT_EQ(labels(value_ticks(-2.3, 1.7, 5)), (std::vector<std::string>{"-2", "-1", "0", "1"}));
  EXPECT_EQ(labels(value_ticks(0, 1, 5)), (std::vector<std::string>{"0.00", "0.25", "0.50", "0.75", "1.00"}));
  EXPECT_TRUE(value_ticks(1, 1, 5).empty());
}

double luminance(const Rgb& c) { return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b; }

TEST(RenderColormap, SpectrogramMapsRiseInLightnessAndCarryNoRed) {
  for (const Colormap* map : {&viridis_like(), &slate()}) {
    double last = -1;
    for (int i = 0; i <= 100; ++i) {
      const Rgb& c = (*map)(i / 100.f);
      EXPECT_GT(luminance(c), last - 1e-6) << "at " << i;
      last = luminance(c);
      EXPECT_FALSE(c.r > c.g + 0.2f && c.r > c.b + 0.2f) << "red-dominated at " << i;
    }
  }
  for (int i = 0; i <= 100; ++i) EXPECT_LE(slate()(i / 100.f).r, slate()(i / 100.f).b);
}

TEST(RenderColormap, JetRunsFromBlueToRedAndClamps) {
  const Colormap& jet = jet_like();
  EXPECT_GT(jet(0.f).b, 0.5f);
  EXPECT_EQ(jet(0.f).r, 0.f);
  EXPECT_GT(jet(1.f).r, 0.5f);
  EXPECT_EQ(jet(1.f).b, 0.f);
  EXPECT_EQ(&jet(-3.f), &jet(0.f));
  EXPECT_EQ(&jet(7.f), &jet(1.f));
  EXPECT_EQ(&jet(std::nanf("")), &jet(0.f));
}

TEST(RenderLayout, PartsDoNotOverlapAndStayInside) {
  for (auto [w, h] : {std::pair{1200, 520}, {400, 200}, {3000, 1400}}) {
    const Layout l = compute_layout(w, h);
    EXPECT_GE(l.plot.y, l.title.bottom());
    EXPECT_GT(l.plot.x, 0);
    EXPECT_LT(l.plot.right(), l.colorbar.x);
    EXPECT_LT(l.colorbar.right(), w);
    EXPECT_LT(l.plot.bottom(), h);
    EXPECT_EQ(l.colorbar.h, l.plot.h);
  }
  EXPECT_THROW(compute_layout(50, 50), Error);
}

TEST(RenderRaster, ManyFramesAverageIntoColumns) {
  MelSpectrogram s = synthetic::flat(2, 6);
  s.values = {0, 2, 4, 6, 8, 10, /* bin 1 */ 1, 1, 1, 1, 1, 1};
  const ColumnGrid g = spectrogram_columns(s, 3);
  EXPECT_EQ(std::vector<float>(g.row(0), g.row(0) + 3), (std::vector<float>{1, 5, 9}));
  s.values[2] = std::nanf("");
  EXPECT_EQ(spectrogram_columns(s, 3).row(0)[1], 6.f) << "non-finite frames are skipped";
}

TEST(RenderRaster, FewFramesInterpolateBetweenCentres) {
  MelSpectrogram s = synthetic::flat(1, 2);
  s.values = {0, 4};
  const ColumnGrid g = spectrogram_columns(s, 4);
  // Column centres at 0.25, 0.75, 1.25, 1.75 frames; frame centres at 0.5, 1.5.
  EXPECT_EQ(std::vector<float>(g.row(0), g.row(0) + 4), (std::vector<float>{0, 1, 3, 4}));
}

TEST(RenderRaster, CamColumnsTakeTheMaximumWhenCellsAreNarrow) {
  CamMap cam = synthetic::empty_cam(1, 100, 0.1, 128);  // 10 s
  cam.values[57] = 0.8f;
  const ColumnGrid g = cam_columns(cam, 10.0, 10);  // 1 s per column
  for (int x = 0; x < 10; ++x) EXPECT_EQ(g.row(0)[x], x == 5 ? 0.8f : 0.f) << x;
}

TEST(RenderRaster, CamColumnsMarkTimeBeyondTheMap) {
  CamMap cam = synthetic::empty_cam(1, 4, 1.0, 128);  // 4 s of a 10 s plot
  const ColumnGrid g = cam_columns(cam, 10.0, 20);
  EXPECT_GE(g.row(0)[7], 0.f);
  EXPECT_EQ(g.row(0)[8], -1.f);
  EXPECT_EQ(g.row(0)[19], -1.f);
}

TEST(RenderRaster, DisplayRangeIgnoresAFewFloorValues) {
  ColumnGrid g{1, 1000, std::vector<float>(1000)};
  for (int i = 0; i < 1000; ++i) g.values[i] = float(i) / 1000.f;
  for (int i = 0; i < 5; ++i) g.values[i] = -100.f;  // 0.5 % silent floor
  const ValueRange r = display_range(g);
  EXPECT_GT(r.lo, -1.f);
  EXPECT_FLOAT_EQ(r.hi, 0.999f);
  const ValueRange flat = display_range(ColumnGrid{1, 3, {2, 2, 2}});
  EXPECT_LT(flat.lo, flat.hi);
}

TEST(RenderRaster, OverlayFadesInAtLowRelevance) {
  EXPECT_EQ(overlay_alpha_for(0.f, 0.55f), 0.f);
  EXPECT_FLOAT_EQ(overlay_alpha_for(0.125f, 0.55f), 0.275f);
  EXPECT_FLOAT_EQ(overlay_alpha_for(0.9f, 0.55f), 0.55f);
}

}  // namespace
}  // namespace soundlens::render
