// Renders figures and checks what a reader would see in the decoded pixels.
#include <gtest/gtest.h>

#include <thread>

#include "core/error.h"
#include "decoded_png.h"
#include "render/figure.h"
#include "render/layout.h"
#include "synthetic.h"

namespace soundlens {
namespace {

using render::Rect;
using test::DecodedPng;

// A sub-rectangle of the plot by fractions (fx, fy from the top-left).
Rect part(const Rect& p, double fx0, double fy0, double fx1, double fy1) {
  const int x0 = p.x + int(fx0 * p.w), x1 = p.x + int(fx1 * p.w);
  const int y0 = p.y + int(fy0 * p.h), y1 = p.y + int(fy1 * p.h);
  return {x0, y0, x1 - x0, y1 - y0};
}

Rect plot_of(const FigureSpec& spec) { return render::compute_layout(spec.width, spec.height).plot; }

TEST(RenderFigure, IsAValidPngOfTheRequestedSize) {
  const MelSpectrogram mel = synthetic::chirp(10);
  for (auto [w, h] : {std::pair{1200, 520}, {640, 300}, {1920, 900}, {333, 211}}) {
    FigureSpec spec{&mel, nullptr, "size check", w, h};
    const DecodedPng png(render_figure_png(spec));
    EXPECT_EQ(png.width(), w);
    EXPECT_EQ(png.height(), h);
  }
}

TEST(RenderFigure, LowestMelBinsAreDrawnAtTheBottom) {
  MelSpectrogram mel = synthetic::flat(128, 1000, -2.f);
  for (int m = 0; m < 12; ++m)
    for (int f = 0; f < mel.n_frames; ++f) mel.values[std::size_t(m) * mel.n_frames + f] = 2.f;
  FigureSpec spec{&mel};
  const DecodedPng png(render_figure_png(spec));
  const Rect p = plot_of(spec);
  const double bottom = png.mean_luminance(part(p, 0.05, 0.95, 0.95, 0.99));
  const double top = png.mean_luminance(part(p, 0.05, 0.01, 0.95, 0.05));
  const double middle = png.mean_luminance(part(p, 0.05, 0.45, 0.95, 0.55));
  EXPECT_GT(bottom, top + 100) << "bright low bins must appear at the bottom";
  EXPECT_NEAR(top, middle, 2);
}

TEST(RenderFigure, LateFramesAreDrawnOnTheRight) {
  MelSpectrogram mel = synthetic::flat(64, 1000, -2.f);
  for (int m = 0; m < mel.n_mels; ++m)
    for (int f = 900; f < 1000; ++f) mel.values[std::size_t(m) * mel.n_frames + f] = 2.f;
  FigureSpec spec{&mel};
  const DecodedPng png(render_figure_png(spec));
  const Rect p = plot_of(spec);
  const double right = png.mean_luminance(part(p, 0.91, 0.05, 0.99, 0.95));
  const double left = png.mean_luminance(part(p, 0.01, 0.05, 0.09, 0.95));
  EXPECT_GT(right, left + 100);
  // The bright block starts at 9.0 s of 10: 90 % across, not before.
  EXPECT_LT(png.mean_luminance(part(p, 0.80, 0.05, 0.88, 0.95)), left + 2);
}

TEST(RenderFigure, CamHotInLowestRowLastColumnHeatsBottomRightOnly) {
  const MelSpectrogram mel = synthetic::chirp(10);
  CamMap cam = synthetic::empty_cam(4, 10, 1.0, 32);
  cam.values[9] = 1.f;  // row 0 (lowest frequencies), last column (9..10 s)
  FigureSpec spec{&mel, &cam, "hot corner"};
  const DecodedPng png(render_figure_png(spec));
  const Rect p = plot_of(spec);
  // Interpolating between cell centres, full relevance is reached past the
  // centre of the last column (9.5 s) and below that of the lowest row (bin 16).
  const Rect hot_cell = part(p, 0.955, 0.88, 0.995, 0.99);
  EXPECT_EQ(png.count_heat(hot_cell), hot_cell.w * hot_cell.h);
  EXPECT_EQ(png.count_heat(part(p, 0.0, 0.0, 0.5, 0.5)), 0) << "top-left must stay cool";
  EXPECT_EQ(png.count_heat(part(p, 0.0, 0.0, 0.8, 1.0)), 0) << "nothing hot before 8 s";
  EXPECT_EQ(png.count_heat(part(p, 0.0, 0.0, 1.0, 0.6)), 0) << "nothing hot in the upper rows";
}

TEST(RenderFigure, WithoutCamThePlotShowsNoHeatColours) {
  const MelSpectrogram mel = synthetic::chirp(10);
  FigureSpec spec{&mel, nullptr, "no overlay"};
  const DecodedPng png(render_figure_png(spec));
  EXPECT_EQ(png.count_heat(plot_of(spec)), 0);
}

TEST(RenderFigure, OverlayChangesThePlotButNotItsGeometry) {
  const MelSpectrogram mel = synthetic::chirp(10);
  const CamMap cam = synthetic::blob_cam(4, 31, 0.32, 32, 6.0, 40, 1.0, 20);
  FigureSpec with{&mel, &cam, "t"}, without{&mel, nullptr, "t"};
  const DecodedPng a(render_figure_png(with)), b(render_figure_png(without));
  const Rect p = plot_of(with);
  int differing = 0;
  for (int y = p.y; y < p.bottom(); ++y)
    for (int x = p.x; x < p.right(); ++x) {
      const auto pa = a.at(x, y), pb = b.at(x, y);
      differing += pa.r != pb.r || pa.g != pb.g || pa.b != pb.b;
    }
  EXPECT_GT(differing, p.w * p.h / 2);
  EXPECT_GT(a.count_heat(part(p, 0.55, 0.5, 0.65, 0.8)), 0) << "the blob at 6 s, bins 20-60";
  EXPECT_EQ(a.count_heat(part(p, 0.0, 0.0, 0.3, 1.0)), 0);
}

TEST(RenderFigure, CamAlignsWithItsCellsInTime) {
  const MelSpectrogram mel = synthetic::flat(128, 1000);
  CamMap cam = synthetic::empty_cam(1, 10, 1.0, 128);
  cam.values[3] = 1.f;  // 3..4 s, all frequencies
  FigureSpec spec{&mel, &cam};
  const DecodedPng png(render_figure_png(spec));
  const Rect p = plot_of(spec);
  // Interpolation between cell centres puts the peak at 3.5 s and full heat
  // around it; cells whose centres are 1 s away stay cool.
  const int y = p.y + p.h / 2;
  auto x_at = [&](double t) { return p.x + int(t / 10.0 * p.w); };
  EXPECT_TRUE(png.at(x_at(3.5), y).is_heat());
  EXPECT_FALSE(png.at(x_at(2.5), y).is_heat());
  EXPECT_FALSE(png.at(x_at(4.6), y).is_heat());
}

TEST(RenderFigure, CamLongerThanTheRecordingIsClipped) {
  const MelSpectrogram mel = synthetic::flat(128, 1000);  // 10 s
  CamMap cam = synthetic::empty_cam(4, 12, 1.0, 32);       // 12 s
  for (int r = 0; r < 4; ++r) cam.values[std::size_t(r) * 12 + 11] = 1.f;  // 11..12 s only
  FigureSpec spec{&mel, &cam};
  const DecodedPng png(render_figure_png(spec));
  EXPECT_EQ(png.count_heat(plot_of(spec)), 0) << "relevance after the recording's end is not drawn";
}

TEST(RenderFigure, CamShorterThanTheRecordingLeavesTheRestUncovered) {
  const MelSpectrogram mel = synthetic::flat(128, 1000);  // 10 s
  CamMap cam = synthetic::empty_cam(4, 5, 1.0, 32);        // 5 s
  std::fill(cam.values.begin(), cam.values.end(), 1.f);
  FigureSpec spec{&mel, &cam};
  const DecodedPng png(render_figure_png(spec));
  const Rect p = plot_of(spec);
  const Rect first = part(p, 0.01, 0.01, 0.49, 0.99), second = part(p, 0.51, 0.01, 0.99, 0.99);
  EXPECT_EQ(png.count_heat(first), first.w * first.h);
  EXPECT_EQ(png.count_heat(second), 0);
}

TEST(RenderFigure, TitleIsDrawnInTheTitleBand) {
  const MelSpectrogram mel = synthetic::chirp(10);
  FigureSpec titled{&mel, nullptr, "Cough (p = 0.95): Grad-CAM on features.16"};
  FigureSpec untitled{&mel, nullptr, ""};
  const Rect band = render::compute_layout(titled.width, titled.height).title;
  EXPECT_GT(DecodedPng(render_figure_png(titled)).count_non_background(band), 200);
  EXPECT_EQ(DecodedPng(render_figure_png(untitled)).count_non_background(band), 0);
}

TEST(RenderFigure, AxesAndColourBarAreDrawnOutsideThePlot) {
  const MelSpectrogram mel = synthetic::chirp(10);
  FigureSpec spec{&mel, nullptr, "t"};
  const render::Layout l = render::compute_layout(spec.width, spec.height);
  const DecodedPng png(render_figure_png(spec));
  const Rect left_margin{0, l.plot.y, l.plot.x - 1, l.plot.h};
  const Rect bottom_margin{l.plot.x, l.plot.bottom() + 1, l.plot.w, l.height - l.plot.bottom() - 1};
  const Rect right_of_bar{l.colorbar.right() + 1, l.plot.y, l.width - l.colorbar.right() - 1, l.plot.h};
  EXPECT_GT(png.count_non_background(left_margin), 300) << "frequency ticks and label";
  EXPECT_GT(png.count_non_background(bottom_margin), 300) << "time ticks and label";
  EXPECT_GT(png.count_non_background(right_of_bar), 300) << "colour bar ticks and label";
  // The bar itself: viridis from dark (bottom) to bright (top).
  const Rect bar = l.colorbar;
  EXPECT_GT(png.at(bar.x + bar.w / 2, bar.y + 3).luminance(),
            png.at(bar.x + bar.w / 2, bar.bottom() - 3).luminance() + 100);
}

TEST(RenderFigure, VeryShortAndOneHourRecordingsRender) {
  const MelSpectrogram tiny = synthetic::chirp(0.1);
  EXPECT_EQ(DecodedPng(render_figure_png({&tiny, nullptr, "0.1 s"})).width(), 1200);

  // 360,000 frames x 128 bins: columns average ~350 frames each.
  MelSpectrogram hour = synthetic::flat(128, 360'000, -2.f);
  for (int m = 0; m < 10; ++m)  // a loud minute at the very end, low bins
    for (int f = 354'000; f < 360'000; ++f) hour.values[std::size_t(m) * hour.n_frames + f] = 3.f;
  CamMap cam = synthetic::empty_cam(4, 11'250, 0.32, 32);
  cam.values[5'000] = 1.f;  // one 0.32 s cell at 1600 s: max-pooling keeps it visible
  FigureSpec spec{&hour, &cam, "one hour", 1600, 600};
  const DecodedPng png(render_figure_png(spec));
  ASSERT_EQ(png.width(), 1600);
  ASSERT_EQ(png.height(), 600);
  const Rect p = plot_of(spec);
  const int x = p.x + int(1600.0 / 3600.0 * p.w);
  EXPECT_TRUE(png.at(x, p.bottom() - 5).is_heat());
  EXPECT_GT(png.mean_luminance(part(p, 0.985, 0.95, 1.0, 0.99)),
            png.mean_luminance(part(p, 0.90, 0.95, 0.95, 0.99)) + 60);
}

TEST(RenderFigure, ConcurrentRendersMatchASerialOne) {
  const MelSpectrogram mel = synthetic::chirp(10);
  const CamMap cam = synthetic::blob_cam(4, 31, 0.32, 32, 6.0, 40, 1.0, 20);
  const FigureSpec spec{&mel, &cam, "Dog (p = 0.80): Grad-CAM on features.16"};
  const std::vector<std::uint8_t> expected = render_figure_png(spec);
  std::vector<std::vector<std::uint8_t>> results(6);
  std::vector<std::thread> threads;
  for (auto& r : results)
    threads.emplace_back([&spec, &r] {
      for (int i = 0; i < 3; ++i) r = render_figure_png(spec);
    });
  for (auto& t : threads) t.join();
  for (const auto& r : results) EXPECT_EQ(r, expected);
}

void expect_error(const FigureSpec& spec, ErrorCode code, const std::string& fragment) {
  try {
    render_figure_png(spec);
    ADD_FAILURE() << "expected an error mentioning '" << fragment << "'";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(RenderFigure, InvalidSpecsThrowClearErrors) {
  const MelSpectrogram good = synthetic::flat(64, 100);
  expect_error({nullptr}, ErrorCode::internal, "no spectrogram");

  MelSpectrogram empty = good;
  empty.n_frames = 0;
  empty.values.clear();
  expect_error({&empty}, ErrorCode::internal, "empty");

  MelSpectrogram short_values = good;
  short_values.values.pop_back();
  expect_error({&short_values}, ErrorCode::internal, "n_mels * n_frames");

  MelSpectrogram no_hz = good;
  no_hz.center_hz.clear();
  expect_error({&no_hz}, ErrorCode::internal, "centre frequencies");

  MelSpectrogram no_hop = good;
  no_hop.seconds_per_frame = 0;
  expect_error({&no_hop}, ErrorCode::internal, "seconds_per_frame");

  CamMap no_cells = synthetic::empty_cam(4, 4, 0.32, 16);
  no_cells.cols = 0;
  no_cells.values.clear();
  expect_error({&good, &no_cells}, ErrorCode::internal, "no cells");

  CamMap mismatched = synthetic::empty_cam(4, 4, 0.32, 16);
  mismatched.values.resize(15);
  expect_error({&good, &mismatched}, ErrorCode::internal, "rows * cols");

  CamMap no_time = synthetic::empty_cam(4, 4, 0.0, 16);
  expect_error({&good, &no_time}, ErrorCode::internal, "seconds_per_column");

  expect_error({&good, nullptr, "", 0, 520}, ErrorCode::bad_request, "outside");
  expect_error({&good, nullptr, "", 100000, 520}, ErrorCode::bad_request, "outside");
  expect_error({&good, nullptr, "", 120, 60}, ErrorCode::bad_request, "too small");
  expect_error({&good, nullptr, "", 1200, 520, 1.5f}, ErrorCode::bad_request, "overlay_alpha");
}

TEST(RenderFigure, NonFiniteInputsDoNotBreakTheFigure) {
  MelSpectrogram mel = synthetic::chirp(10);
  mel.values[5] = std::numeric_limits<float>::quiet_NaN();
  mel.values[500] = -std::numeric_limits<float>::infinity();
  CamMap cam = synthetic::blob_cam(4, 31, 0.32, 32, 6.0, 40, 1.0, 20);
  cam.values[0] = std::numeric_limits<float>::quiet_NaN();
  cam.values[1] = 7.f;  // out of [0, 1]: clamped
  const DecodedPng png(render_figure_png({&mel, &cam, "robust"}));
  EXPECT_EQ(png.width(), 1200);
}

}  // namespace
}  // namespace soundlens
