#pragma once
// Privacy stage: --redact-speech. Finds where the model itself hears speech
// (its Speech classes, see speech_classes.h) and silences those spans before
// the audio is stored or analysed.
//
// How: the recording is cut into short windows (window_s, every hop_s), each
// run through the model; a window's speech score is the largest probability
// among the speech classes. Each hop-long segment covered by a window at or
// above the threshold is silenced (merged into spans): privacy first, so up
// to window_s - hop_s of the sound beside speech is silenced with it. Measured on mn04_as (README, "Privacy"): 1 s windows
// every 0.25 s put the speech of a 2 s clip at 0.83 and its own cough at
// <= 0.18; 0.5 s windows only reach 0.57 on the same speech, 2 and 3 s
// windows smear it over the cough that follows.
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/analysis.h"

namespace soundlens {

struct RedactionOptions {
  double threshold = 0.5;  // speech score (probability) from which a segment is silenced
  double window_s = 1.0;
  double hop_s = 0.25;
};

struct TimeSpan {
  double start_s = 0;
  double end_s = 0;
};

struct SpeechRedaction {
  std::vector<TimeSpan> spans;  // silenced, ascending, not overlapping
  double fraction = 0;          // of the recording's duration
  RedactionOptions options;
  std::vector<int> classes;     // the speech classes used
};

// Where the speech is. Throws Error(bad_request) for options out of range.
SpeechRedaction find_speech(const Analyzer& analyzer, const Audio& audio, const std::vector<int>& speech_classes,
                            const RedactionOptions& options);

// Sets the samples of the spans to zero.
void silence_spans(Audio& audio, const std::vector<TimeSpan>& spans);

// {"spans": [{"start_s", "end_s"}], "fraction", "threshold", "window_s", "hop_s", "classes": [...]}
nlohmann::json redaction_json(const SpeechRedaction& redaction);

}  // namespace soundlens
