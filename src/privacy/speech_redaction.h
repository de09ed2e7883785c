#pragma once
// Privacy stage: --redact-speech. Finds where the model itself hears speech
// (its Speech classes, see speech_classes.h) and silences those spans before
// the audio is stored or analysed, then checks what it silenced.
//
// How: the recording is cut into short windows (window_s, every hop_s), each
// run through the model; a window's speech score is the largest probability
// among the speech classes. Each hop-long segment covered by a window at or
// above the threshold is speech (privacy first: up to window_s - hop_s of the
// sound beside speech goes with it). Spans are padded by pad_s, and a gap
// shorter than a window between two spans is silenced too: a fragment left
// between silenced spans is what the model hears best once its neighbours
// are gone (issue 17: 0.25 s kept between two spans scored Speech 0.75).
// Measured on mn04_as (README, "Privacy"): 1 s windows every 0.25 s put the
// speech of a 2 s clip at 0.83 and its own cough at <= 0.18; 0.5 s windows
// only reach 0.57 on the same speech, 2 and 3 s windows smear it over the
// cough that follows.
//
// The silenced audio is then scored again in windows of the same length on a
// grid offset by half a hop (other cuts than the ones that found the speech).
// A window still at or above the threshold is silenced where it is not
// already, and checked again, up to max_passes; speech left after that is
// refused (Error(speech_remains)): the recording is not stored.
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/analysis.h"

namespace soundlens {

struct RedactionOptions {
  double threshold = 0.3;  // speech score (probability) from which a segment is silenced (low: privacy first)
  double window_s = 1.0;
  double hop_s = 0.25;
  double pad_s = 0.25;     // silenced before and after each span
  int max_passes = 4;      // find, then check and widen, at most this many times in all
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
  int passes = 0;               // scorings of the recording (the first, then one per check)
  double residual_score = 0;    // the largest speech score left in the silenced audio (< threshold)
};

// One window's speech score (the largest speech-class probability).
struct SpeechWindow {
  double start_s = 0;
  double end_s = 0;
  float score = 0;
};

// The speech score of windows of window_s every hop_s from offset_s (and one
// more ending at the recording's end); a recording shorter than a window is
// one window, zero-padded. Throws Error(bad_request) for options out of range.
std::vector<SpeechWindow> speech_windows(const Analyzer& analyzer, const Audio& audio,
                                         const std::vector<int>& speech_classes, double window_s, double hop_s,
                                         double offset_s = 0);

// Where the speech is (one scoring, spans padded and gaps filled, no check).
// Throws Error(bad_request) for options out of range.
SpeechRedaction find_speech(const Analyzer& analyzer, const Audio& audio, const std::vector<int>& speech_classes,
                            const RedactionOptions& options);

struct RedactedAudio {
  SpeechRedaction redaction;
  Audio audio;  // the input with the spans silenced
};

// find_speech, silence, then check the silenced audio as described above.
// Throws Error(speech_remains) when speech is still heard after max_passes.
RedactedAudio redact_speech(const Analyzer& analyzer, const Audio& audio, const std::vector<int>& speech_classes,
                            const RedactionOptions& options);

// Sets the samples of the spans to zero.
void silence_spans(Audio& audio, const std::vector<TimeSpan>& spans);

// Ascending, overlapping or touching spans merged, gaps shorter than min_gap_s
// closed, each span first widened by pad_s (clamped to [0, duration_s]).
std::vector<TimeSpan> merge_spans(std::vector<TimeSpan> spans, double pad_s, double min_gap_s, double duration_s);

// {"spans": [{"start_s", "end_s"}], "fraction", "threshold", "window_s", "hop_s", "pad_s", "passes",
//  "residual_score", "classes": [...]}
nlohmann::json redaction_json(const SpeechRedaction& redaction);

}  // namespace soundlens
