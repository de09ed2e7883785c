#include "render/report_pdf.h"

#include <cairo-pdf.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/error.h"
#include "render/axes.h"
#include "render/cairo_handles.h"
#include "render/layout.h"
#include "render/pdf_pages.h"
#include "render/raster.h"
#include "render/validate.h"

namespace soundlens {
namespace render {
namespace {

constexpr int kFigureW = 640, kFigureH = 280;  // figure units (fonts at their smallest scale), onto the page
constexpr int kMaxCellColumns = 1500;          // a long map is drawn as at most this many columns

// The map's cells as rectangles over the plot, one colour per cell, reduced
// to at most kMaxCellColumns columns (maximum) on long recordings.
void draw_cells(cairo_t* cr, const CamMap& cam, const MelSpectrogram& mel, const Rect& plot, float max_alpha) {
  const double duration_s = mel.n_frames * mel.seconds_per_frame;
  const int group = std::max(1, (cam.cols + kMaxCellColumns - 1) / kMaxCellColumns);
  const double row_h = plot.h * cam.mel_bins_per_row / mel.n_mels;
  const Colormap& heat = jet_like();
  cairo_save(cr);
  cairo_rectangle(cr, plot.x, plot.y, plot.w, plot.h);
  cairo_clip(cr);
  for (int c0 = 0; c0 < cam.cols; c0 += group) {
    const int c1 = std::min(cam.cols, c0 + group);
    const double x0 = plot.x + plot.w * c0 * cam.seconds_per_column / duration_s;
    const double x1 = plot.x + plot.w * c1 * cam.seconds_per_column / duration_s;
    if (x0 >= plot.right()) break;
    for (int r = 0; r < cam.rows; ++r) {
      float v = 0;
      for (int c = c0; c < c1; ++c) v = std::max(v, cam.at(r, c));
      const float alpha = overlay_alpha_for(v, max_alpha);
      if (alpha <= 0) continue;
      const Rgb& rgb = heat(v);
      cairo_set_source_rgba(cr, rgb.r, rgb.g, rgb.b, alpha);
      cairo_rectangle(cr, x0, plot.bottom() - (r + 1) * row_h, x1 - x0, row_h);
      cairo_fill(cr);
    }
  }
  cairo_restore(cr);
}

// The raster parts, made once per report: figures of one recording share
// the spectrogram image, and Cairo writes a surface used twice only once.
struct Images {
  const MelSpectrogram* mel = nullptr;
  Surface spectrogram, bar;
};

Surface painted(int w, int h, const auto& paint) {
  Surface s = make_image_surface(w, h);
  cairo_surface_flush(s.get());
  paint(PixelBuffer{reinterpret_cast<std::uint32_t*>(cairo_image_surface_get_data(s.get())), w, h,
                    cairo_image_surface_get_stride(s.get()) / 4});
  cairo_surface_mark_dirty(s.get());
  return s;
}

void paint_source(cairo_t* cr, cairo_surface_t* image, const Rect& r) {
  cairo_save(cr);
  cairo_translate(cr, r.x, r.y);
  cairo_scale(cr, double(r.w) / cairo_image_surface_get_width(image),
              double(r.h) / cairo_image_surface_get_height(image));
  cairo_set_source_surface(cr, image, 0, 0);
  cairo_paint(cr);
  cairo_restore(cr);
}

// The spectrogram is the one raster part (an image of its own resolution);
// the map, axes, ticks and labels are vector graphics.
void draw_figure(cairo_t* cr, const ReportFigure& f, double width_pt, Images& images) {
  FigureSpec spec;
  spec.spectrogram = f.spectrogram;
  spec.cam = f.cam;
  spec.width = kFigureW;
  spec.height = kFigureH;
  validate_spec(spec);
  const Layout l = compute_layout(kFigureW, kFigureH);
  const MelSpectrogram& mel = *f.spectrogram;
  const double duration_s = mel.n_frames * mel.seconds_per_frame;
  const Overlay overlay{nullptr, f.cam->mel_bins_per_row, 0.55f};
  if (images.mel != f.spectrogram) {
    // One pixel per figure unit: about 1.3 per point on the page.
    const int w = std::max(1, l.plot.w), h = std::max(1, l.plot.h);
    const ColumnGrid columns = spectrogram_columns(mel, w);
    const ValueRange range = display_range(columns);
    images.spectrogram = painted(w, h, [&](PixelBuffer out) { paint_plot(columns, range, slate(), nullptr, out); });
    images.mel = f.spectrogram;
  }
  if (!images.bar) images.bar = painted(1, 256, [&](PixelBuffer out) { paint_colorbar(slate(), &overlay, out); });

  cairo_save(cr);
  cairo_scale(cr, width_pt / kFigureW, width_pt / kFigureW);
  paint_source(cr, images.spectrogram.get(), l.plot);
  paint_source(cr, images.bar.get(), l.colorbar);
  draw_cells(cr, *f.cam, mel, l.plot, overlay.max_alpha);
  draw_plot_frame(cr, l.plot);
  draw_time_axis(cr, l, duration_s);
  draw_frequency_axis(cr, l, mel.center_hz);
  draw_colorbar_scale(cr, l, 0, 1, "relevance");
  draw_title(cr, l, f.target.label + " (p = " + fmt("%.3f", f.target.probability) + ")");
  cairo_restore(cr);
}

void facts(Pages& p, const ReportInput& in) {
  p.heading("Recording");
  pairs(p, {{"File", in.file_name},
            {"Format", in.format},
            {"Duration", fmt("%.2f s", in.duration_s)},
            {"SHA-256", in.sha256}});
  p.heading("Provenance");
  pairs(p, {{"soundlens version", in.soundlens_version},
            {"Model", in.model},
            {"Weights file", in.weights_file},
            {"Weights SHA-256", in.weights_sha256},
            {"Date", in.date}});
  if (!in.calibration.empty()) p.paragraph("Calibration: " + in.calibration);
  p.row({"Parameters"}, {0}, true);
  pairs(p, in.parameters);
}

// The note and labels a person gave the analysis, and what they looked at on the page.
void annotations(Pages& p, const ReportInput& in) {
  if (in.note.empty() && in.labels.empty() && in.looked_at.empty()) return;
  p.heading("Note, labels and what was looked at");
  std::string labels;
  for (const auto& l : in.labels) labels += (labels.empty() ? "" : ", ") + l;
  if (!in.labels.empty()) pairs(p, {{"Labels", labels}});
  if (!in.looked_at.empty()) p.paragraph("Looked at: " + in.looked_at);
  if (!in.note.empty()) {
    std::string note = in.note;  // one paragraph: the page's line breaks become spaces
    for (char& c : note)
      if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    p.paragraph("Note: " + note);
  }
}

void predictions(Pages& p, const ReportInput& in) {
  p.heading("Top predictions");
  const std::vector<double> xs{0, 30, 80, 360};
  p.row({"#", "index", "class", "probability"}, xs, true);
  int rank = 0;
  for (const auto& pr : in.predictions)
    p.row({std::to_string(++rank), std::to_string(pr.index), pr.label, fmt("%.3f", pr.probability)}, xs);
  if (!in.calibration.empty())
    p.paragraph("The calibrated classes' probabilities are calibrated ones (see Provenance); the others are the model's.");
}

void figures(Pages& p, const ReportInput& in) {
  if (in.figures.empty()) return;
  p.heading("Explanations");
  const double width = kPageW - 2 * kMargin, height = width * kFigureH / kFigureW;
  Images images;
  for (const auto& f : in.figures) {
    p.need(height + 2 * kLine);
    cairo_save(p.cr());
    cairo_translate(p.cr(), kMargin, p.y());
    draw_figure(p.cr(), f, width, images);
    cairo_restore(p.cr());
    p.advance(height + 4);
    if (f.checks.empty()) {
      p.row({"Method: " + f.method,
             "Faithfulness: " + (f.faithfulness ? fmt("%.3f", *f.faithfulness) : std::string("not computed"))},
            {0, 330});
    } else {
      p.row({"Method: " + f.method}, {0});
      p.paragraph(f.checks);
    }
    p.advance(kLine / 2);
  }
}

void events(Pages& p, const ReportInput& in) {
  p.heading("Events");
  const bool reviewed = !in.event_reviews.empty() && in.event_reviews.size() == in.events.size();
  if (in.events.empty())
    p.row({"No events were found."}, {0});
  else if (!reviewed) {
    const std::vector<double> xs{0, 25, 195, 255, 315, 380};
    p.row({"#", "class", "onset (s)", "offset (s)", "probability", "band (Hz)"}, xs, true);
    int n = 0;
    for (const auto& e : in.events)
      p.row({std::to_string(++n), e.label, fmt("%.2f", e.onset_s), fmt("%.2f", e.offset_s), fmt("%.3f", e.probability),
             fmt("%.0f", e.low_hz) + " - " + fmt("%.0f", e.high_hz)},
            xs);
  } else {
    p.paragraph("As reviewed: a corrected class or time replaces the detected one; rejected events are not counted.");
    const std::vector<double> xs{0, 25, 170, 225, 280, 335, 425};
    p.row({"#", "class", "onset (s)", "offset (s)", "probability", "band (Hz)", "review"}, xs, true);
    for (std::size_t i = 0; i < in.events.size(); ++i) {
      const auto& e = in.events[i];
      p.row({std::to_string(i + 1), e.label, fmt("%.2f", e.onset_s), fmt("%.2f", e.offset_s),
             fmt("%.3f", e.probability), fmt("%.0f", e.low_hz) + " - " + fmt("%.0f", e.high_hz), in.event_reviews[i]},
            xs);
    }
  }
  p.heading("Counts");
  if (in.counts.empty()) {
    p.row({"No class was counted."}, {0});
    return;
  }
  if (in.count_reviews.size() == in.counts.size()) {
    const std::vector<double> xs{0, 170, 220, 285, 345, 420};
    p.row({"class", "counted", "confirmed", "rejected", "unreviewed", "per hour"}, xs, true);
    for (std::size_t i = 0; i < in.counts.size(); ++i) {
      const auto& c = in.counts[i];
      const auto& r = in.count_reviews[i];
      p.row({c.label, std::to_string(c.count), std::to_string(r.confirmed), std::to_string(r.rejected),
             std::to_string(r.unreviewed), fmt("%.1f", c.per_hour)},
            xs);
    }
    return;
  }
  const std::vector<double> xs{0, 200, 260};
  p.row({"class", "events", "per hour"}, xs, true);
  for (const auto& c : in.counts) p.row({c.label, std::to_string(c.count), fmt("%.1f", c.per_hour)}, xs);
}

void event_checks(Pages& p, const ReportInput& in) {
  if (!in.show_event_checks) return;
  p.heading("Events' explanations checked");
  if (in.event_checks.empty()) {
    p.paragraph("No event's explanation was checked (Check in the page's events table computes an event's map on "
                "its window with its faithfulness and listening).");
    return;
  }
  p.paragraph("Each event's class (as reviewed) explained on its own window of the recording, with the checks "
              "computed for it.");
  for (const auto& c : in.event_checks) {
    if (c.event < 0 || std::size_t(c.event) >= in.events.size()) continue;
    const auto& e = in.events[std::size_t(c.event)];
    p.row({"#" + std::to_string(c.event + 1) + " " + e.label + ", " + fmt("%.2f", e.onset_s) + " - " +
           fmt("%.2f", e.offset_s) + " s, " + c.method + " on " + fmt("%.2f", c.window_start_s) + " - " +
           fmt("%.2f", c.window_end_s) + " s"},
          {0}, true);
    p.paragraph(c.checks);
  }
}

void quality(Pages& p, const ReportInput& in) {
  p.heading("Input quality");
  if (in.quality.empty()) p.paragraph("No quality flag was raised.");
  for (const auto& q : in.quality) p.paragraph((q.raised ? "[raised] " : "[ok] ") + q.name + ": " + q.message);
}

}  // namespace
}  // namespace render

std::vector<std::uint8_t> render_report_pdf(const ReportInput& input) {
  using namespace render;
  for (const auto& f : input.figures)
    if (f.spectrogram == nullptr || f.cam == nullptr)
      throw Error(ErrorCode::bad_request, "a report figure needs its spectrogram and its map");
  const std::string title = "soundlens report: " + input.file_name;
  return pdf_document(title, input.soundlens_version, "soundlens report", [&](Pages& p) {
    p.paragraph(std::string("This report is ") + kReportStatement + ".", true);
    facts(p, input);
    annotations(p, input);
    predictions(p, input);
    quality(p, input);
    events(p, input);
    event_checks(p, input);
    figures(p, input);
  });
}

}  // namespace soundlens
