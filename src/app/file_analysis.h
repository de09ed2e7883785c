#pragma once
// One file as `soundlens analyze` analyses it: decoded whole, or read twice as
// a stream when it is long and no output needs every sample at once. Shared
// by the one-file command and the folder batch.
#include <string>

#include "analysis/analysis.h"
#include "analysis_events/analysis_events.h"
#include "analysis_events/event_options.h"
#include "audio/audio.h"

namespace soundlens {

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
};

// Throws Error as decode/analyze do (timings_ms.decode and .total set).
FileAnalysis analyze_file(const FileAnalysisSetup& setup, const std::string& path);

}  // namespace soundlens
