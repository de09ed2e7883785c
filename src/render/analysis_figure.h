#pragma once
// The figures of an analysis, drawn from the data the analyzer returns: a
// class's explanation over the recording's spectrogram, titled so that the
// figure alone says what it shows (class, probability, method, layer, model).
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/analysis_values.h"
#include "features/mel_spectrogram.h"

namespace soundlens {

// "<class>[ and not <contrast>] (p = 0.123) - <method> on <layer>, <model>".
std::vector<std::uint8_t> explanation_figure_png(const MelSpectrogram& spectrogram, const Explanation& explanation,
                                                 const std::string& model);

// The spectrogram alone: "Log-mel spectrogram (<model> front end)".
std::vector<std::uint8_t> spectrogram_figure_png(const MelSpectrogram& spectrogram, const std::string& model);

// AnalysisOptions::figure's figure: the top explanation over the analysis'
// overview. Error(internal) when the analysis has no overview or no explanation.
std::vector<std::uint8_t> analysis_figure_png(const Analysis& analysis);

}  // namespace soundlens
