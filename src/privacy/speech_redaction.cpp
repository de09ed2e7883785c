#include "privacy/speech_redaction.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/error.h"

namespace soundlens {
namespace {

constexpr std::size_t kWindowsPerBatch = 32;

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

void check_windows(double window_s, double hop_s) {
  if (!(window_s >= 0.1 && window_s <= 10) || !(hop_s >= 0.05 && hop_s <= window_s))
    throw Error(ErrorCode::bad_request, "speech redaction needs 0.1 <= window_s <= 10 and 0.05 <= hop_s <= window_s");
}

void check(const RedactionOptions& o) {
  if (!(o.threshold > 0 && o.threshold <= 1))
    throw Error(ErrorCode::bad_request, "the speech redaction threshold must be in (0, 1]");
  check_windows(o.window_s, o.hop_s);
  if (!(o.pad_s >= 0 && o.pad_s <= 10)) throw Error(ErrorCode::bad_request, "speech redaction needs 0 <= pad_s <= 10");
  if (o.max_passes < 1 || o.max_passes > 20)
    throw Error(ErrorCode::bad_request, "speech redaction needs 1 to 20 passes");
}

// Window starts at 0, then every hop from offset while a whole window fits,
// and one more ending at the end; a recording shorter than a window is one
// window (zero-padded).
std::vector<std::size_t> window_starts(std::size_t n, std::size_t window, std::size_t hop, std::size_t offset) {
  std::vector<std::size_t> starts{0};
  if (n <= window) return starts;
  for (std::size_t s = offset == 0 ? hop : offset; s + window <= n; s += hop) starts.push_back(s);
  if (starts.back() + window < n) starts.push_back(n - window);
  return starts;
}

// Per window: the largest speech-class probability (NaN classes, absent from a model, are skipped).
std::vector<float> speech_scores(const Model& model, const Audio& audio, const std::vector<std::size_t>& starts,
                                 std::size_t window, const std::vector<int>& classes) {
  const auto& fe = model.frontend();
  std::vector<float> scores;
  std::vector<float> buffer(window);
  for (std::size_t b = 0; b < starts.size(); b += kWindowsPerBatch) {
    std::vector<MelSpectrogram> mels;
    for (std::size_t w = b; w < std::min(b + kWindowsPerBatch, starts.size()); ++w) {
      const std::size_t end = std::min(audio.samples.size(), starts[w] + window);
      std::fill(buffer.begin(), buffer.end(), 0.0f);
      std::copy(audio.samples.begin() + starts[w], audio.samples.begin() + end, buffer.begin());
      mels.push_back(fe.compute(buffer));
    }
    const auto pass = model.forward(mels);
    for (int w = 0; w < pass->windows(); ++w) {
      const auto logits = pass->logits(w);
      float score = 0;
      for (int c : classes)
        if (c >= 0 && std::size_t(c) < logits.size() && !std::isnan(logits[c]))
          score = std::max(score, sigmoid(logits[c]));
      scores.push_back(score);
    }
  }
  return scores;
}

double silenced_fraction(const std::vector<TimeSpan>& spans, double duration_s) {
  double silenced = 0;
  for (const auto& span : spans) silenced += span.end_s - span.start_s;
  return duration_s > 0 ? silenced / duration_s : 0;
}

std::string seconds(double s) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", s);
  return text;
}

}  // namespace

std::vector<SpeechWindow> speech_windows(const Analyzer& analyzer, const Audio& audio,
                                         const std::vector<int>& speech_classes, double window_s, double hop_s,
                                         double offset_s) {
  check_windows(window_s, hop_s);
  const std::size_t n = audio.samples.size();
  if (n == 0 || audio.sample_rate <= 0) return {};
  const double rate = audio.sample_rate;
  const auto window = std::size_t(std::lround(window_s * rate));
  const auto hop = std::size_t(std::lround(hop_s * rate));
  const auto offset = std::size_t(std::lround(std::clamp(offset_s, 0.0, hop_s) * rate));
  const auto starts = window_starts(n, window, hop, offset);
  const auto scores = speech_scores(analyzer.model(), audio, starts, window, speech_classes);
  std::vector<SpeechWindow> out;
  for (std::size_t w = 0; w < starts.size(); ++w)
    out.push_back({double(starts[w]) / rate, double(std::min(n, starts[w] + window)) / rate, scores[w]});
  return out;
}

std::vector<TimeSpan> merge_spans(std::vector<TimeSpan> spans, double pad_s, double min_gap_s, double duration_s) {
  for (auto& s : spans) s = {std::max(0.0, s.start_s - pad_s), std::min(duration_s, s.end_s + pad_s)};
  std::sort(spans.begin(), spans.end(), [](const TimeSpan& a, const TimeSpan& b) { return a.start_s < b.start_s; });
  std::vector<TimeSpan> out;
  for (const auto& s : spans) {
    if (s.end_s <= s.start_s) continue;
    if (!out.empty() && s.start_s - out.back().end_s < min_gap_s)
      out.back().end_s = std::max(out.back().end_s, s.end_s);
    else
      out.push_back(s);
  }
  return out;
}

SpeechRedaction find_speech(const Analyzer& analyzer, const Audio& audio, const std::vector<int>& speech_classes,
                            const RedactionOptions& options) {
  check(options);
  SpeechRedaction out;
  out.options = options;
  out.classes = speech_classes;
  out.passes = 1;
  const std::size_t n = audio.samples.size();
  if (n == 0 || audio.sample_rate <= 0) return out;
  const double duration_s = double(n) / audio.sample_rate;
  const auto windows = speech_windows(analyzer, audio, speech_classes, options.window_s, options.hop_s);

  // Segments of one hop; each is speech when any window covering it reaches
  // the threshold: privacy first (the mean of the covering windows, tried
  // first, left the last 0.25 s of a test's speech audible).
  std::vector<TimeSpan> found;
  for (double s0 = 0; s0 < duration_s; s0 += options.hop_s) {
    const double s1 = std::min(duration_s, s0 + options.hop_s);
    bool speech = false;
    for (const auto& w : windows) speech |= w.start_s < s1 && w.end_s > s0 && w.score >= options.threshold;
    if (speech) found.push_back({s0, s1});
  }
  out.spans = merge_spans(std::move(found), options.pad_s, options.window_s, duration_s);
  out.fraction = silenced_fraction(out.spans, duration_s);
  return out;
}

RedactedAudio redact_speech(const Analyzer& analyzer, const Audio& audio, const std::vector<int>& speech_classes,
                            const RedactionOptions& options) {
  RedactedAudio out{find_speech(analyzer, audio, speech_classes, options), audio};
  auto& r = out.redaction;
  silence_spans(out.audio, r.spans);
  if (audio.samples.empty() || audio.sample_rate <= 0) return out;
  const double duration_s = double(audio.samples.size()) / audio.sample_rate;
  for (;;) {
    // Every half hop: the first pass's cuts and the ones between them.
    const auto windows =
        speech_windows(analyzer, out.audio, speech_classes, options.window_s, std::max(0.05, options.hop_s / 2));
    std::vector<TimeSpan> heard;
    const SpeechWindow* loudest = nullptr;
    for (const auto& w : windows) {
      if (w.score >= options.threshold) heard.push_back({w.start_s, w.end_s});
      if (!loudest || w.score > loudest->score) loudest = &w;
    }
    r.residual_score = loudest ? loudest->score : 0;
    if (heard.empty()) break;
    // The windows heard, padded, joined to the spans already silenced (not padded again).
    auto widened = merge_spans(std::move(heard), options.pad_s, options.window_s, duration_s);
    widened.insert(widened.end(), r.spans.begin(), r.spans.end());
    widened = merge_spans(std::move(widened), 0, options.window_s, duration_s);
    // Nothing more to silence (the score comes from what is silent already): another pass cannot help.
    const bool same = widened.size() == r.spans.size() &&
                      std::equal(widened.begin(), widened.end(), r.spans.begin(), [](const auto& x, const auto& y) {
                        return x.start_s == y.start_s && x.end_s == y.end_s;
                      });
    if (same || r.passes >= options.max_passes)
      throw Error(ErrorCode::speech_remains,
                  "speech is still heard after silencing it " + std::to_string(r.passes) + " times (score " +
                      seconds(loudest->score) + " from " + seconds(loudest->start_s) + " to " +
                      seconds(loudest->end_s) + " s, threshold " + seconds(options.threshold) +
                      "); the recording was not stored");
    r.spans = std::move(widened);
    out.audio.samples = audio.samples;
    silence_spans(out.audio, r.spans);
    ++r.passes;
  }
  r.fraction = silenced_fraction(r.spans, duration_s);
  return out;
}

void silence_spans(Audio& audio, const std::vector<TimeSpan>& spans) {
  const double rate = audio.sample_rate;
  for (const auto& span : spans) {
    const auto a = std::min(audio.samples.size(), std::size_t(std::max(0.0, std::floor(span.start_s * rate))));
    const auto b = std::min(audio.samples.size(), std::size_t(std::max(0.0, std::ceil(span.end_s * rate))));
    if (a < b) std::fill(audio.samples.begin() + a, audio.samples.begin() + b, 0.0f);
  }
}

nlohmann::json redaction_json(const SpeechRedaction& r) {
  auto spans = nlohmann::json::array();
  for (const auto& s : r.spans) spans.push_back({{"start_s", s.start_s}, {"end_s", s.end_s}});
  return {{"spans", spans},
          {"fraction", r.fraction},
          {"threshold", r.options.threshold},
          {"window_s", r.options.window_s},
          {"hop_s", r.options.hop_s},
          {"pad_s", r.options.pad_s},
          {"passes", r.passes},
          {"residual_score", r.residual_score},
          {"classes", r.classes}};
}

}  // namespace soundlens
