#include "speech_audio.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

#include "command_output.h"
#include "test_paths.h"

namespace soundlens::test {
namespace {

constexpr double kFrameS = 0.01;

double frame_energy(const Audio& a, std::size_t f, std::size_t frame) {
  double sum = 0;
  for (std::size_t i = f * frame; i < std::min(a.samples.size(), (f + 1) * frame); ++i)
    sum += double(a.samples[i]) * a.samples[i];
  return sum;
}

bool frame_equal(const Audio& a, const Audio& b, std::size_t f, std::size_t frame) {
  for (std::size_t i = f * frame; i < std::min(a.samples.size(), (f + 1) * frame); ++i)
    if (std::abs(a.samples[i] - b.samples[i]) > 1.5f / 32768) return false;  // 16-bit storage
  return true;
}

}  // namespace

const char* const kPatientText =
    "Good morning. I have had this cough for about two weeks now. It started after a cold, and it gets worse at "
    "night. Sometimes I cough up a little mucus. I do not smoke. My mother has asthma. I take ibuprofen for the "
    "fever. My name is John Smith and I was born on the fourth of May, nineteen seventy two. My phone number is "
    "five five five, one two three four.";

Audio espeak_speech(const std::string& text, const std::string& voice, int words_per_minute) {
  if (command_output("command -v espeak-ng").empty()) {
    ADD_FAILURE() << "espeak-ng is not installed (scripts/install-deps.sh installs it)";
    return {};
  }
  const auto path = std::filesystem::temp_directory_path() / ("soundlens-espeak-" + std::to_string(getpid()) + ".wav");
  std::string quoted;
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  const auto r = run_command("espeak-ng -v '" + voice + "' -s " + std::to_string(words_per_minute) + " -w '" +
                             path.string() + "' '" + quoted + "' 2>&1");
  EXPECT_EQ(r.status, 0) << r.out;
  Audio audio = decode_file(path.string(), {});
  std::filesystem::remove(path);
  return audio;
}

Audio speech_then_cough(const Audio& speech, double* cough_from_s) {
  const Audio cough = decode_file(shared_audio("cough/008c73c3-04ab-427a-9beb-cf17497bcac2.flac"), {});
  Audio out = speech;
  *cough_from_s = out.duration_s();
  out.samples.insert(out.samples.end(), cough.samples.begin(), cough.samples.end());
  return out;
}

Audio librispeech_clip(int n) {
  const std::string name = std::string("events-dev/clips/speech/speech_0") + char('0' + n) + ".flac";
  return decode_file(shared_audio(name), {});
}

SpeechLeft speech_left(const Analyzer& analyzer, const Audio& audio, const std::vector<int>& speech_classes,
                       double threshold, double window_s, double hop_s) {
  AnalysisOptions options;
  options.window_s = window_s;
  options.hop_s = hop_s;
  options.top_k = 1;
  const Analysis analysis = analyzer.analyze(audio, options);
  SpeechLeft out;
  std::vector<Span> above;
  for (const auto& w : analysis.timeline) {
    double score = 0;
    for (int c : speech_classes) score = std::max(score, double(w.probabilities.at(c)));
    if (score > out.loudest) out.loudest = score, out.loudest_start_s = w.start_s;
    if (score >= threshold) above.push_back({w.start_s, std::min(w.end_s, audio.duration_s())});
  }
  double covered_to = 0;
  for (const auto& s : above) {  // the timeline is in time order
    const double from = std::max(s.start_s, covered_to);
    if (s.end_s > from) out.seconds_above += s.end_s - from;
    covered_to = std::max(covered_to, s.end_s);
  }
  return out;
}

std::vector<Span> silenced_runs(const Audio& original, const Audio& redacted) {
  const auto frame = std::size_t(kFrameS * original.sample_rate);
  const std::size_t frames = (std::min(original.samples.size(), redacted.samples.size()) + frame - 1) / frame;
  // 1 silenced, 0 kept, -1 neutral (silent in both).
  std::vector<int> state(frames);
  for (std::size_t f = 0; f < frames; ++f) {
    const bool had_sound = frame_energy(original, f, frame) > 0;
    const bool now_silent = frame_energy(redacted, f, frame) == 0;
    state[f] = !had_sound ? -1 : now_silent ? 1 : 0;
  }
  std::vector<Span> runs;
  for (std::size_t f = 0; f < frames;) {
    if (state[f] != 1) {
      ++f;
      continue;
    }
    std::size_t g = f;
    while (g < frames && state[g] != 0) ++g;  // neutral frames join the run
    std::size_t end = g;
    while (end > f && state[end - 1] == -1) --end;
    runs.push_back({f * kFrameS, end * kFrameS});
    f = g;
  }
  return runs;
}

double shortest_kept_gap(const std::vector<Span>& silenced) {
  double shortest = std::numeric_limits<double>::infinity();
  for (std::size_t i = 1; i < silenced.size(); ++i)
    shortest = std::min(shortest, silenced[i].start_s - silenced[i - 1].end_s);
  return shortest;
}

double sound_kept(const Audio& original, const Audio& redacted, double from_s, double to_s) {
  const auto frame = std::size_t(kFrameS * original.sample_rate);
  const auto f0 = std::size_t(from_s / kFrameS), f1 = std::size_t(to_s / kFrameS);
  double loudest = 0;
  for (std::size_t f = f0; f < f1; ++f) loudest = std::max(loudest, frame_energy(original, f, frame));
  int loud = 0, kept = 0;
  for (std::size_t f = f0; f < f1; ++f) {
    if (frame_energy(original, f, frame) < loudest * 1e-3) continue;  // 30 dB below the loudest frame
    ++loud;
    kept += frame_equal(original, redacted, f, frame);
  }
  return loud ? double(kept) / loud : 0;
}

}  // namespace soundlens::test
