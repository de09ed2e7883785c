#pragma once
// Speech for the redaction tests (privacy and http): synthetic speech from
// espeak-ng, real speech from LibriSpeech clips, a cough after it; and checks
// of redacted audio made independently of the redaction's own code (the
// Analyzer's timeline in short windows, and the samples themselves).
#include <string>
#include <vector>

#include "analysis/analysis.h"

namespace soundlens::test {

// A patient's account with name, birthday and phone number: what must not be stored.
extern const char* const kPatientText;

// espeak-ng's `voice` reading `text` at `words_per_minute`, at 32 kHz. Fails
// the test (empty audio) when espeak-ng is missing: scripts/install-deps.sh installs it.
Audio espeak_speech(const std::string& text, const std::string& voice = "en", int words_per_minute = 175);

// The speech of the repro, then the cough recording without speech
// (cough/008c73c3...: Speech <= 0.04 in every 1 s window); *cough_from_s is
// where the cough starts.
Audio speech_then_cough(const Audio& speech, double* cough_from_s);
// ../shared/audio/events-dev/clips/speech/speech_0N.flac (LibriSpeech, read English).
Audio librispeech_clip(int n);

struct SpeechLeft {
  double loudest = 0;        // the largest speech score of any window
  double loudest_start_s = 0;
  double seconds_above = 0;  // length of the union of the windows at or above the threshold
};
// The Analyzer's own windows (window_s every hop_s; its timeline, not the
// redaction's scoring), each scored by its largest speech-class probability.
SpeechLeft speech_left(const Analyzer& analyzer, const Audio& audio, const std::vector<int>& speech_classes,
                       double threshold, double window_s = 1.0, double hop_s = 0.1);

struct Span {
  double start_s = 0, end_s = 0;
};
// What the redaction did, read from the samples in 10 ms frames: the runs of
// frames that had sound and are now digital silence (frames silent in both are
// neutral and join their neighbours), and the runs kept between them.
std::vector<Span> silenced_runs(const Audio& original, const Audio& redacted);
// The shortest stretch kept between two silenced runs (infinity when fewer than two).
double shortest_kept_gap(const std::vector<Span>& silenced);

// Of the frames of [from_s, to_s) louder than 30 dB below the span's loudest
// frame, the share stored unchanged (the cough kept).
double sound_kept(const Audio& original, const Audio& redacted, double from_s, double to_s);

}  // namespace soundlens::test
