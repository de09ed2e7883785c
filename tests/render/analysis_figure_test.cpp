// The figures of an analysis, drawn by render from the analyzer's data: the
// same pixels the analyzer drew before (same spectrogram, map, title, size).
#include <gtest/gtest.h>

#include "core/error.h"
#include "render/analysis_figure.h"
#include "render/figure.h"
#include "synthetic.h"

namespace soundlens {
namespace {

Explanation cough_explanation() {
  Explanation e;
  e.target = {42, "Cough", 0.95f};
  e.cam = synthetic::blob_cam(8, 31, 0.32, 16, 4.0, 40, 1.0, 20);
  e.cam.method = "gradcam";
  e.cam.layer = "features.16";
  return e;
}

TEST(AnalysisFigure, AnExplanationIsTitledWithClassProbabilityMethodLayerAndModel) {
  const MelSpectrogram mel = synthetic::chirp(10);
  const Explanation e = cough_explanation();
  const FigureSpec spec{&mel, &e.cam, "Cough (p = 0.950) - gradcam on features.16, mn04_as"};
  EXPECT_EQ(explanation_figure_png(mel, e, "mn04_as"), render_figure_png(spec));
  // A different title draws different pixels: the comparison above sees the title.
  const FigureSpec other{&mel, &e.cam, "Cough (p = 0.950) - gradcam on features.16, yamnet"};
  EXPECT_NE(explanation_figure_png(mel, e, "mn04_as"), render_figure_png(other));
}

TEST(AnalysisFigure, AContrastIsNamedInTheTitle) {
  const MelSpectrogram mel = synthetic::chirp(10);
  Explanation e = cough_explanation();
  e.contrast = Prediction{0, "Speech", 0.5f};
  e.cam.method = "gradcam++";
  const FigureSpec spec{&mel, &e.cam, "Cough and not Speech (p = 0.950) - gradcam++ on features.16, mn04_as"};
  EXPECT_EQ(explanation_figure_png(mel, e, "mn04_as"), render_figure_png(spec));
}

TEST(AnalysisFigure, TheSpectrogramAloneNamesTheFrontEnd) {
  const MelSpectrogram mel = synthetic::chirp(3);
  const FigureSpec spec{&mel, nullptr, "Log-mel spectrogram (yamnet front end)"};
  EXPECT_EQ(spectrogram_figure_png(mel, "yamnet"), render_figure_png(spec));
}

TEST(AnalysisFigure, AnAnalysisDrawsItsTopExplanationOverItsOverview) {
  Analysis a;
  a.model = "mn04_as";
  a.explanations = {cough_explanation(), cough_explanation()};
  a.explanations[1].target = {7, "Dog", 0.5f};
  EXPECT_THROW(
      try { analysis_figure_png(a); } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::internal);
        throw;
      },
      Error);
  a.overview = synthetic::chirp(10);
  EXPECT_EQ(analysis_figure_png(a), explanation_figure_png(*a.overview, a.explanations.front(), "mn04_as"));
  a.explanations.clear();
  EXPECT_THROW(analysis_figure_png(a), Error);
}

}  // namespace
}  // namespace soundlens
