#include "privacy/speech_redaction.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace soundlens {
namespace {

constexpr std::size_t kWindowsPerBatch = 32;

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

void check(const RedactionOptions& o) {
  if (!(o.threshold > 0 && o.threshold <= 1))
    throw Error(ErrorCode::bad_request, "the speech redaction threshold must be in (0, 1]");
  if (!(o.window_s >= 0.1 && o.window_s <= 10) || !(o.hop_s >= 0.05 && o.hop_s <= o.window_s))
    throw Error(ErrorCode::bad_request, "speech redaction needs 0.1 <= window_s <= 10 and 0.05 <= hop_s <= window_s");
}

// Window starts every hop while a whole window fits, and one more ending at
// the end; a recording shorter than a window is one window (zero-padded).
std::vector<std::size_t> window_starts(std::size_t n, std::size_t window, std::size_t hop) {
  std::vector<std::size_t> starts{0};
  if (n <= window) return starts;
  for (std::size_t s = hop; s + window <= n; s += hop) starts.push_back(s);
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

}  // namespace

SpeechRedaction find_speech(const Analyzer& analyzer, const Audio& audio, const std::vector<int>& speech_classes,
                            const RedactionOptions& options) {
  check(options);
  SpeechRedaction out;
  out.options = options;
  out.classes = speech_classes;
  const std::size_t n = audio.samples.size();
  if (n == 0 || audio.sample_rate <= 0) return out;
  const double rate = audio.sample_rate;
  const auto window = std::size_t(std::lround(options.window_s * rate));
  const auto hop = std::size_t(std::lround(options.hop_s * rate));
  const auto starts = window_starts(n, window, hop);
  const auto scores = speech_scores(analyzer.model(), audio, starts, window, speech_classes);

  // Segments of one hop; each silenced when any window covering it reaches
  // the threshold: privacy first (the mean of the covering windows, tried
  // first, left the last 0.25 s of a test's speech audible).
  std::size_t span_start = 0;
  bool in_span = false;
  const auto close_span = [&](std::size_t end) {
    out.spans.push_back({double(span_start) / rate, double(end) / rate});
    in_span = false;
  };
  for (std::size_t s0 = 0; s0 < n; s0 += hop) {
    const std::size_t s1 = std::min(n, s0 + hop);
    bool speech = false;
    for (std::size_t w = 0; w < starts.size() && !speech; ++w)
      speech = starts[w] < s1 && starts[w] + window > s0 && scores[w] >= options.threshold;
    if (speech && !in_span) span_start = s0, in_span = true;
    if (!speech && in_span) close_span(s0);
  }
  if (in_span) close_span(n);
  double silenced = 0;
  for (const auto& span : out.spans) silenced += span.end_s - span.start_s;
  out.fraction = silenced / (double(n) / rate);
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
          {"classes", r.classes}};
}

}  // namespace soundlens
