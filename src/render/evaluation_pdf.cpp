#include "render/evaluation_pdf.h"

#include <cairo-pdf.h>

#include <algorithm>

#include "core/error.h"
#include "render/cairo_handles.h"
#include "render/chart_draw.h"
#include "render/pdf_pages.h"

namespace soundlens {
namespace render {
namespace {

constexpr double kChartW = 700, kChartH = 440;  // chart units, scaled to the text width

void per_class(Pages& p, const EvaluationPdfInput& in) {
  p.heading("Per class");
  const std::vector<double> xs{0, 200, 250, 310, 365, 415};
  p.row({"class", "support", "precision", "recall", "F1", "average precision"}, xs, true);
  for (const auto& c : in.classes)
    p.row({c.label, std::to_string(c.support), fmt("%.3f", c.precision), fmt("%.3f", c.recall), fmt("%.3f", c.f1),
           fmt("%.3f", c.average_precision)},
          xs);
  p.heading("Overall");
  for (const auto& [name, value] : in.overall) p.row({name, value}, {0, 170});
}

// Columns are numbered (the labels would not fit across); rows say which number is which class.
void confusion(Pages& p, const EvaluationPdfInput& in) {
  if (in.confusion.empty()) return;
  p.heading("Confusion matrix");
  p.paragraph("Rows: the folder's label (truth). Columns: the prediction, numbered as the rows.");
  const std::size_t n = in.confusion_labels.size();
  const double first = 130, width = kPageW - 2 * kMargin - first;
  const double step = std::min(40.0, width / double(std::max<std::size_t>(1, n)));
  std::vector<double> xs{0};
  std::vector<std::string> header{""};
  for (std::size_t c = 0; c < n; ++c) {
    xs.push_back(first + step * double(c));
    header.push_back(std::to_string(c + 1));
  }
  p.row(header, xs, true);
  for (std::size_t r = 0; r < n; ++r) {
    std::vector<std::string> cells{std::to_string(r + 1) + " " + in.confusion_labels[r]};
    for (int v : in.confusion[r]) cells.push_back(std::to_string(v));
    p.row(cells, xs);
  }
}

void reliability(Pages& p, const EvaluationPdfInput& in) {
  p.heading("Calibration");
  p.paragraph("Expected calibration error (10 bins): " + fmt("%.3f", in.ece) +
              ". The reliability diagram draws, per bin of probability, how often the class was true against the mean "
              "probability; a calibrated model lies on the diagonal.");
  const double width = kPageW - 2 * kMargin, scale = width / kChartW;
  p.need(kChartH * scale + kLine);
  cairo_save(p.cr());
  cairo_translate(p.cr(), kMargin, p.y());
  cairo_scale(p.cr(), scale, scale);
  draw_chart(p.cr(), in.reliability, kChartW, kChartH);
  cairo_restore(p.cr());
  p.advance(kChartH * scale + kLine);
}

void files(Pages& p, const EvaluationPdfInput& in) {
  p.heading("Files evaluated (" + std::to_string(in.files.size()) + ")");
  const std::vector<double> xs{0, 220, 340};
  p.row({"file (SHA-256 under it)", "label", "most probable"}, xs, true);
  for (const auto& f : in.files) {
    p.need(2 * kLine);
    p.row({f.file, f.truth, f.scores}, xs);
    p.row({"", f.sha256}, {0, 12});
  }
  if (in.skipped.empty()) return;
  p.heading("Skipped (" + std::to_string(in.skipped.size()) + ")");
  for (const auto& s : in.skipped) p.paragraph(s);
}

}  // namespace
}  // namespace render

std::vector<std::uint8_t> render_evaluation_pdf(const EvaluationPdfInput& input) {
  using namespace render;
  if (input.confusion.size() != (input.confusion.empty() ? 0 : input.confusion_labels.size()))
    throw Error(ErrorCode::bad_request, "the confusion matrix needs one row per label");
  for (const auto& row : input.confusion)
    if (row.size() != input.confusion_labels.size())
      throw Error(ErrorCode::bad_request, "the confusion matrix needs one column per label");
  const std::string title = "soundlens evaluation report";
  return pdf_document(title, input.soundlens_version, title, [&](Pages& p) {
    p.heading("What was evaluated");
    pairs(p, input.provenance);
    if (!input.decision.empty()) p.paragraph(input.decision);
    per_class(p, input);
    confusion(p, input);
    reliability(p, input);
    files(p, input);
  });
}

}  // namespace soundlens
