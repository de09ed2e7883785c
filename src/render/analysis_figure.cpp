#include "render/analysis_figure.h"

#include <cstdio>

#include "core/error.h"
#include "render/figure.h"

namespace soundlens {

std::vector<std::uint8_t> explanation_figure_png(const MelSpectrogram& spectrogram, const Explanation& e,
                                                 const std::string& model) {
  FigureSpec spec;
  spec.spectrogram = &spectrogram;
  spec.cam = &e.cam;
  char probability[32];
  std::snprintf(probability, sizeof probability, "%.3f", e.target.probability);
  const std::string why = e.contrast ? " and not " + e.contrast->label : "";
  spec.title = e.target.label + why + " (p = " + probability + ") - " + e.cam.method + " on " + e.cam.layer + ", " +
               model;
  return render_figure_png(spec);
}

std::vector<std::uint8_t> spectrogram_figure_png(const MelSpectrogram& spectrogram, const std::string& model) {
  FigureSpec spec;
  spec.spectrogram = &spectrogram;
  spec.title = "Log-mel spectrogram (" + model + " front end)";
  return render_figure_png(spec);
}

std::vector<std::uint8_t> analysis_figure_png(const Analysis& analysis) {
  if (!analysis.overview || analysis.explanations.empty())
    throw Error(ErrorCode::internal, "analysis figure: the analysis was run without AnalysisOptions::figure "
                                     "or explained no class");
  return explanation_figure_png(*analysis.overview, analysis.explanations.front(), analysis.model);
}

}  // namespace soundlens
