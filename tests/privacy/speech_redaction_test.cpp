// The speech classes come from the ontology (by AudioSet id, not by index);
// find_speech on real recordings: speech found where the reference
// PyTorch model hears it, none in a recording of coughs only; silencing.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "audio/audio.h"
#include "core/error.h"
#include "model/model_registry.h"
#include "privacy/speech_classes.h"
#include "privacy/speech_redaction.h"
#include "test_paths.h"

namespace soundlens {
namespace {
using test::models_dir;
using test::shared_audio;

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
  EXPECT_LE(r.spans.back().end_s, 1.75);
  EXPECT_GT(r.fraction, 0.25);
  EXPECT_LT(r.fraction, 0.75);
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

}  // namespace
}  // namespace soundlens
