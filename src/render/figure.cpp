#include "render/figure.h"

#include <optional>

#include "render/axes.h"
#include "render/cairo_handles.h"
#include "render/layout.h"
#include "render/png_encode.h"
#include "render/raster.h"
#include "render/validate.h"

namespace soundlens {
namespace render {
namespace {

// Writes straight into the figure's own pixels: no intermediate surface the
// size of the plot, and no resampling by Cairo.
PixelBuffer pixels_of(cairo_surface_t* surface, const Rect& r) {
  cairo_surface_flush(surface);
  auto* base = reinterpret_cast<std::uint32_t*>(cairo_image_surface_get_data(surface));
  const int stride = cairo_image_surface_get_stride(surface) / int(sizeof(std::uint32_t));
  return {base + std::size_t(r.y) * stride + r.x, r.w, r.h, stride};
}

}  // namespace
}  // namespace render

std::vector<std::uint8_t> render_figure_png(const FigureSpec& spec) {
  using namespace render;
  validate_spec(spec);
  const Layout layout = compute_layout(spec.width, spec.height);
  const MelSpectrogram& mel = *spec.spectrogram;
  const double duration_s = mel.n_frames * mel.seconds_per_frame;

  Surface figure = make_image_surface(layout.width, layout.height);
  Context cr = make_context(figure.get());
  cairo_set_source_rgb(cr.get(), 1, 1, 1);
  cairo_paint(cr.get());

  const ColumnGrid columns = spectrogram_columns(mel, layout.plot.w);
  const ValueRange range = display_range(columns);
  std::optional<ColumnGrid> cam_grid;
  std::optional<Overlay> overlay;
  if (spec.cam) {
    cam_grid = cam_columns(*spec.cam, duration_s, layout.plot.w);
    overlay = Overlay{&*cam_grid, spec.cam->mel_bins_per_row, spec.overlay_alpha};
  }
  // Under a heatmap the spectrogram turns grey-blue, so colour means relevance.
  const Colormap& base = spec.cam ? slate() : viridis_like();
  const Overlay* ov = overlay ? &*overlay : nullptr;
  paint_plot(columns, range, base, ov, pixels_of(figure.get(), layout.plot));
  paint_colorbar(base, ov, pixels_of(figure.get(), layout.colorbar));
  cairo_surface_mark_dirty(figure.get());

  draw_plot_frame(cr.get(), layout.plot);
  draw_time_axis(cr.get(), layout, duration_s);
  draw_frequency_axis(cr.get(), layout, mel.center_hz);
  if (spec.cam)
    draw_colorbar_scale(cr.get(), layout, 0, 1, "Grad-CAM relevance");
  else
    draw_colorbar_scale(cr.get(), layout, range.lo, range.hi, "log-mel (model input units)");
  draw_title(cr.get(), layout, spec.title);

  return encode_png(figure.get());
}

}  // namespace soundlens
