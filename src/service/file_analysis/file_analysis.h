#pragma once
// One file as `soundlens analyze` analyses it: decoded whole, or read as a
// stream when it is long and no output needs every sample at once. Shared
// by the one-file command and the folder batch.
#include <cstdint>
#include <memory>
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
  // The fused model (analysis_events/fused_analysis.h): analyzer is its first part, this its second.
  const Analyzer* fused_second = nullptr;
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

// Each part of the fused model (fused_model_parts()) loaded (load_model); an
// error names the fused model's parts and the one that failed, with its file.
struct FusedAnalyzers {
  std::shared_ptr<const Analyzer> first, second;
};
FusedAnalyzers load_fused_analyzers(const std::vector<std::string>& search_path, std::shared_ptr<const Labels> labels);

// Throws Error as decode/analyze do (timings_ms.decode and .total set).
FileAnalysis analyze_file(const FileAnalysisSetup& setup, const std::string& path);

// A recording already decoded (held whole): the analysis and its events, as analyze_file does them.
FileAnalysis analyze_audio(const FileAnalysisSetup& setup, Audio audio);

}  // namespace soundlens
