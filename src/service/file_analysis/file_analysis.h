#pragma once
// One file as `soundlens analyze` analyses it: decoded whole, or read twice as
// a stream when it is long and no output needs every sample at once. Shared
// by the one-file command and the folder batch.
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/analysis.h"
#include "analysis_events/analysis_events.h"
#include "analysis_events/event_options.h"
#include "audio/audio.h"
#include "core/parameters.h"

namespace soundlens {

// The options of analysing a file in this process (no server): inference
// threads and the longest recording accepted. Declared once for the command
// line and the Python package.
const std::vector<Parameter>& file_analysis_parameters();

struct FileAnalysisSetup {
  const Analyzer* analyzer = nullptr;
  AnalysisOptions options;        // after ask_for_event_classes
  AnalysisEventOptions events;
  DecodeOptions decode;
  bool streamable = true;         // false when an output needs the whole recording
};

struct FileAnalysis {
  Audio audio;  // empty when the recording was streamed
  Analysis analysis;
  AnalysisEvents events;
  std::vector<std::uint8_t> figure_png;  // with options.figure: the top class's figure (timings_ms.render)
};

// Throws Error as decode/analyze do (timings_ms.decode and .total set).
FileAnalysis analyze_file(const FileAnalysisSetup& setup, const std::string& path);

// A recording already decoded (held whole): the analysis and its events, as analyze_file does them.
FileAnalysis analyze_audio(const FileAnalysisSetup& setup, Audio audio);

}  // namespace soundlens
