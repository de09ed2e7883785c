#include "service/audio_free.h"

#include "analysis/analysis_json.h"
#include "privacy/viewer_spectrogram.h"
#include "render/analysis_figure.h"

namespace soundlens::service {
namespace {

std::string as_string(const std::vector<std::uint8_t>& bytes) { return {bytes.begin(), bytes.end()}; }

}  // namespace

ViewerCache viewer_cache(const Analyzer& analyzer, const Audio& audio, const Analysis& analysis) {
  // Keys as media_routes.cpp computes them: GET .../spectrogram (max_columns
  // 1000, the default), .../figure.png?overlay=0 and .../figure.png?class=N.
  ViewerCache cache;
  // Coarse (privacy/viewer_spectrogram.h): without the audio, this is all of the recording that is kept.
  const MelSpectrogram spectrogram = analyzer.spectrogram(audio);
  const std::string& model = analyzer.model().info().name;
  cache.emplace_back("spectrogram-1000.json", spectrogram_to_json(coarse_spectrogram(spectrogram), 1000).dump());
  cache.emplace_back("spectrogram.png", as_string(spectrogram_figure_png(spectrogram, model)));
  for (const auto& explanation : analysis.explanations)
    cache.emplace_back("figure-" + std::to_string(explanation.target.index) + ".png",
                       as_string(explanation_figure_png(spectrogram, explanation, model)));
  return cache;
}

}  // namespace soundlens::service
