// The speech classes come from the ontology (by AudioSet id, not by index);
// find_speech on real recordings: speech found where the reference
// PyTorch model hears it, none in a recording of coughs only; silencing.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iostream>

#include "audio/audio.h"
#include "core/error.h"
#include "model/model_registry.h"
#include "privacy/speech_classes.h"
#include "privacy/speech_redaction.h"
#include "speech_audio.h"
#include "test_paths.h"

namespace soundlens {
namespace {
using test::models_dir;
using test::shared_audio;
using namespace test;  // speech_audio.h

std::shared_ptr<const Analyzer> analyzer() {
  static const auto a = [] {
    const std::vector<std::string> path{models_dir()};
    return std::make_shared<Analyzer>(load_model("mn04_as", path), load_labels(path));
  }();
  return a;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

TEST(SpeechClasses, AreSpeechAndItsChildrenFromTheOntology) {
  const auto labels = load_labels({models_dir()});
  const auto classes = speech_classes(*labels, {models_dir()});
  std::vector<std::string> names;
  for (int c : classes) names.push_back(labels->name(c));
  EXPECT_EQ(names, (std::vector<std::string>{"Speech", "Male speech, man speaking", "Female speech, woman speaking",
                                             "Child speech, kid speaking", "Conversation", "Narration, monologue",
                                             "Babbling", "Speech synthesizer"}));
  // Without the ontology: the same classes from their AudioSet ids.
  EXPECT_EQ(speech_classes(*labels, {"/nonexistent"}), classes);
  // A made-up ontology is followed, not a fixed list: only what is under "Speech" there.
  const std::string tiny = R"([{"id": "/m/x", "name": "Speech", "child_ids": ["/m/02zsn"]},
                               {"id": "/m/02zsn", "name": "Female speech, woman speaking", "child_ids": []}])";
  const auto from_tiny = speech_classes_from_ontology(*labels, tiny);
  ASSERT_EQ(from_tiny.size(), 1u);
  EXPECT_EQ(labels->name(from_tiny[0]), "Female speech, woman speaking");
  EXPECT_THROW(speech_classes_from_ontology(*labels, "[]"), Error);
  EXPECT_FALSE(read_text(models_dir() + "/labels/ontology.json").empty());
}

Audio decoded(const std::string& rel) { return decode_file(shared_audio(rel), {}); }

double rms(const Audio& a, double from_s, double to_s) {
  const auto s0 = std::size_t(from_s * a.sample_rate), s1 = std::min(a.samples.size(), std::size_t(to_s * a.sample_rate));
  double sum = 0;
  for (std::size_t i = s0; i < s1; ++i) sum += double(a.samples[i]) * a.samples[i];
  return s1 > s0 ? std::sqrt(sum / double(s1 - s0)) : 0;
}

// Reference (tools/reference/model_reference.py networks, 1 s windows every
// 0.25 s): this telephone cough recording has speech over its first ~1.3 s
// (speech 0.64-0.82 in the windows starting at 0-0.75 s) and the cough after it.
TEST(FindSpeech, FindsTheSpeechOfARealRecordingAndNotItsCough) {
  const auto a = analyzer();
  const Audio audio = decoded("cough/00096021-2cb2-4098-b906-4878a5e225a3.flac");
  const auto classes = speech_classes(a->labels(), {models_dir()});
  const auto r = find_speech(*a, audio, classes, {});
  ASSERT_FALSE(r.spans.empty());
  EXPECT_LE(r.spans.front().start_s, 0.01);
  EXPECT_GE(r.spans.front().end_s, 0.75);
  // The segments up to 1.75 s (covered by a window at or above the threshold), padded by 0.25 s; the last
  // window (1.5-2.5 s, 0.24 here) is below the threshold, so the end of the cough is kept.
  EXPECT_LE(r.spans.back().end_s, 1.75 + r.options.pad_s + 1e-9);
  EXPECT_GT(r.fraction, 0.25);
  EXPECT_LT(r.fraction, 0.85);
}

TEST(FindSpeech, NoSpeechInACoughOnlyRecording) {
  const auto a = analyzer();
  const Audio audio = decoded("cough/008c73c3-04ab-427a-9beb-cf17497bcac2.flac");
  const auto r = find_speech(*a, audio, speech_classes(a->labels(), {models_dir()}), {});
  EXPECT_TRUE(r.spans.empty());
  EXPECT_EQ(r.fraction, 0);
}

TEST(FindSpeech, ShortRecordingsAndBadOptions) {
  const auto a = analyzer();
  const auto classes = speech_classes(a->labels(), {models_dir()});
  const Audio tiny = decoded("awkward/03_short_0p3s_door_knock.wav");
  const auto r = find_speech(*a, tiny, classes, {});
  EXPECT_TRUE(r.spans.empty());
  EXPECT_THROW(find_speech(*a, tiny, classes, {.threshold = 0}), Error);
  EXPECT_THROW(find_speech(*a, tiny, classes, {.window_s = 1, .hop_s = 2}), Error);
}

TEST(SilenceSpans, ZeroesExactlyTheSpans) {
  Audio audio;
  audio.sample_rate = 1000;
  audio.samples.assign(3000, 0.5f);
  silence_spans(audio, {{0.5, 1.0}, {2.5, 9.0}});
  EXPECT_EQ(rms(audio, 0.5, 1.0), 0);
  EXPECT_EQ(rms(audio, 2.5, 3.0), 0);
  EXPECT_NEAR(rms(audio, 0, 0.5), 0.5, 1e-9);
  EXPECT_NEAR(rms(audio, 1.0, 2.5), 0.5, 1e-9);
}

TEST(MergeSpans, PadsClosesShortGapsAndClamps) {
  const auto merged = merge_spans({{3.0, 3.5}, {0.1, 1.0}, {1.6, 2.0}, {6.0, 7.0}}, 0.25, 1.0, 6.9);
  ASSERT_EQ(merged.size(), 2u);
  EXPECT_DOUBLE_EQ(merged[0].start_s, 0.0);   // padded, clamped at the start
  EXPECT_DOUBLE_EQ(merged[0].end_s, 3.75);    // gaps of 0.1 s and 0.5 s (after padding) closed
  EXPECT_DOUBLE_EQ(merged[1].start_s, 5.75);  // a gap of 2 s kept
  EXPECT_DOUBLE_EQ(merged[1].end_s, 6.9);     // clamped at the end
}

// --- redaction checked on speech then a cough: nothing the model hears as speech is left ---

constexpr double kLow = RedactionOptions{}.threshold;

struct Measured {
  double speech_left_s = 0;  // seconds of 1 s windows (every 0.1 s) still heard as speech
  double loudest = 0;
  double cough_kept = 0;     // share of the cough's sounding 10 ms frames stored unchanged
};

// Redacts speech + cough and checks the result independently of the
// redaction's own scoring: the Analyzer's timeline in 1 s windows every 0.1 s
// (other cuts) and in the 10 s windows a server's analysis uses; the silenced
// runs read from the samples. 2 s windows are only measured: digital silence
// followed by a cough scores up to 0.7 there without any speech (README).
Measured redact_and_check(const Audio& speech, const std::string& what) {
  SCOPED_TRACE(what);
  const auto a = analyzer();
  const auto classes = speech_classes(a->labels(), {models_dir()});
  double cough_from_s = 0;
  const Audio original = speech_then_cough(speech, &cough_from_s);
  const auto before_left = speech_left(*a, original, classes, kLow);
  EXPECT_GT(before_left.loudest, 0.5) << "the speech is heard before redaction";
  const RedactedAudio r = redact_speech(*a, original, classes, {});
  EXPECT_EQ(r.audio.samples.size(), original.samples.size());
  Measured m;
  const auto left = speech_left(*a, r.audio, classes, kLow);
  m.speech_left_s = left.seconds_above;
  m.loudest = left.loudest;
  EXPECT_LT(left.loudest, kLow) << "speech " << left.loudest << " in the 1 s window from " << left.loudest_start_s;
  const auto left_2s = speech_left(*a, r.audio, classes, kLow, 2.0, 0.25);  // measured only
  const auto left_10s = speech_left(*a, r.audio, classes, kLow, 10.0, 5.0);
  EXPECT_LT(left_10s.loudest, kLow) << "speech " << left_10s.loudest << " in the 10 s window from "
                                    << left_10s.loudest_start_s;
  const auto runs = silenced_runs(original, r.audio);
  EXPECT_FALSE(runs.empty());
  EXPECT_GE(shortest_kept_gap(runs), r.redaction.options.window_s - 0.02) << "a stretch shorter than a window kept";
  EXPECT_LT(r.redaction.residual_score, kLow);
  m.cough_kept = sound_kept(original, r.audio, cough_from_s, original.duration_s());
  std::string spans;
  for (const auto& s : r.redaction.spans) spans += " " + std::to_string(s.start_s) + "-" + std::to_string(s.end_s);
  std::cout << "[measured] " << what << ": duration " << original.duration_s() << " s, cough from " << cough_from_s
            << " s; before: speech " << before_left.loudest << ", " << before_left.seconds_above
            << " s of windows; after " << r.redaction.passes << " passes: speech " << left.loudest << " (2 s windows "
            << left_2s.loudest << ", 10 s windows " << left_10s.loudest << "), " << left.seconds_above
            << " s; cough kept " << m.cough_kept << "; spans" << spans << std::endl;
  return m;
}

// The issue's repro: espeak-ng's speech, then a cough; three voices (the
// first is the issue's: before the fix it kept 6.0-6.5 s between two spans).
TEST(RedactSpeech, NoSyntheticSpeechLeftAndTheCoughKept) {
  for (const auto& [voice, words_per_minute] :
       std::vector<std::pair<std::string, int>>{{"en+m3", 200}, {"en-us+f3", 175}, {"en", 130}}) {
    const Audio speech = espeak_speech(kPatientText, voice, words_per_minute);
    ASSERT_GT(speech.duration_s(), 15.0);
    const Measured m = redact_and_check(speech, "espeak-ng " + voice + " " + std::to_string(words_per_minute));
    EXPECT_EQ(m.speech_left_s, 0);
    EXPECT_GT(m.cough_kept, 0.5);
  }
}

// Real read speech (LibriSpeech) matters more than synthetic.
TEST(RedactSpeech, NoRealSpeechLeftAndTheCoughKept) {
  double kept = 0;
  for (int n = 1; n <= 6; ++n) {
    const Measured m = redact_and_check(librispeech_clip(n), "LibriSpeech speech_0" + std::to_string(n));
    EXPECT_EQ(m.speech_left_s, 0);
    kept += m.cough_kept / 6;
  }
  std::cout << "[measured] LibriSpeech: mean cough kept " << kept << std::endl;
  EXPECT_GT(kept, 0.5);
}

// The check widens what one scoring missed: 0.8 s of read speech put into the
// cough recording at 1.5 s, found with windows every 1 s (no overlap, no
// padding) is still heard between those cuts; the check's windows every 0.5 s
// find it, and the second pass silences it.
TEST(RedactSpeech, TheCheckSilencesWhatTheFirstScoringMissed) {
  const auto a = analyzer();
  const auto classes = speech_classes(a->labels(), {models_dir()});
  const Audio speech = librispeech_clip(1);
  Audio audio = decoded("cough/008c73c3-04ab-427a-9beb-cf17497bcac2.flac");
  std::copy(speech.samples.begin() + 32000, speech.samples.begin() + 32000 + 25600, audio.samples.begin() + 48000);
  const RedactionOptions options{.window_s = 1, .hop_s = 1, .pad_s = 0};

  Audio once = audio;
  silence_spans(once, find_speech(*a, audio, classes, options).spans);
  float missed = 0;
  for (const auto& w : speech_windows(*a, once, classes, 1.0, 0.5)) missed = std::max(missed, w.score);
  ASSERT_GE(missed, options.threshold) << "one scoring left speech for the check to find";

  const RedactedAudio r = redact_speech(*a, audio, classes, options);
  EXPECT_GE(r.redaction.passes, 2);
  EXPECT_LT(r.redaction.residual_score, options.threshold);
  for (const auto& w : speech_windows(*a, r.audio, classes, 1.0, 0.5))
    EXPECT_LT(w.score, options.threshold) << w.start_s;
  EXPECT_EQ(rms(r.audio, 1.5, 2.3), 0);  // the speech itself
}

// Speech still heard after the passes allowed: refused, never returned as redacted.
TEST(RedactSpeech, RefusesWhenSpeechRemains) {
  const auto a = analyzer();
  const auto classes = speech_classes(a->labels(), {models_dir()});
  const Audio speech = librispeech_clip(1);
  // One pass and no check allowed to widen it: a threshold no silence gets under.
  try {
    redact_speech(*a, speech, classes, {.threshold = 1e-6, .max_passes = 1});
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::speech_remains) << e.what();
    EXPECT_EQ(error_code_name(e.code()), "speech_remains");
    EXPECT_NE(std::string(e.what()).find("not stored"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace soundlens
