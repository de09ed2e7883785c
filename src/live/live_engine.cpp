#include "live/live_engine.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>

#include "analysis/window_stream.h"
#include "analysis_events/analysis_events.h"
#include "core/error.h"
#include "live/rolling_frames.h"

namespace soundlens {

namespace {

double dbfs(double amplitude) { return amplitude > 1e-6 ? 20 * std::log10(amplitude) : -120; }

}  // namespace

struct LiveEngine::State {
  const Analyzer& analyzer;
  LiveSettings settings;
  std::size_t window_samples = 0, hop_samples = 0, min_samples = 0;
  double spf = 0;
  WindowStream cut;
  std::optional<RollingFrames> frames;
  std::optional<StreamingEvents> events;
  std::vector<float> padded;
  std::size_t total = 0;
  long windows = 0, dropped = 0;
  double compute_ms = 0;
  bool behind = false;
  // The level since the last report, and the runs of zeros and of clipped samples.
  double sum_squares = 0, peak = 0;
  std::size_t level_samples = 0;
  std::size_t zero_run = 0, clip_run = 0;
  bool warned_zero = false, warned_clip = false;
  std::vector<Event> ended;

  State(const Analyzer& a, const LiveSettings& s, std::size_t window, std::size_t hop)
      : analyzer(a), settings(s), window_samples(window), hop_samples(hop), cut(window, hop) {}

  void levels(std::span<const float> block, LiveSink& sink) {
    const std::size_t warn = std::size_t(settings.warn_after_s * kFrontEndInputRate);
    for (float x : block) {
      const double a = std::fabs(double(x));
      sum_squares += a * a;
      peak = std::max(peak, a);
      zero_run = x == 0.0f ? zero_run + 1 : 0;
      clip_run = a >= 0.99 ? clip_run + 1 : 0;
      if (zero_run == 0) warned_zero = false;
      if (clip_run == 0) warned_clip = false;
      if (zero_run >= warn && !warned_zero) {
        warned_zero = true;
        sink.warning("the input has been all zeros for " + std::to_string(int(settings.warn_after_s)) +
                     " s: a muted or disconnected source, or the wrong --format");
      }
      if (clip_run >= warn && !warned_clip) {
        warned_clip = true;
        sink.warning("the input has been clipped (at full scale) for " + std::to_string(int(settings.warn_after_s)) +
                     " s: the wrong --format, or a gain far too high");
      }
    }
    level_samples += block.size();
  }

  void emit_events(StreamedEventsOut& out, LiveSink& sink) {
    for (const auto& e : out.started) sink.event_started(e);
    for (const auto& e : out.ended) {
      ended.push_back(e.event);
      sink.event_ended(e);
    }
    out = {};
  }

  void settle(int before, LiveSink& sink) {
    StreamedEventsOut out;
    frames->settle(before, [&](std::span<const float> p, std::span<const char> present, std::span<const float> columns) {
      // As offline: only column-level evidence is gated by what the windows hear.
      events->push(p, columns.empty() ? present : std::span<const char>(), out, columns);
    });
    emit_events(out, sink);
  }

  void window(const WindowSpan& span, std::span<const float> samples, LiveSink& sink) {
    const double start_s = double(span.start) / kFrontEndInputRate;
    if (behind) {
      ++dropped;
      return;
    }
    const auto t0 = std::chrono::steady_clock::now();
    if (samples.size() < min_samples) {
      padded.assign(samples.begin(), samples.end());
      padded.resize(min_samples, 0.0f);
      samples = padded;
    }
    const Model& model = analyzer.model();
    const MelSpectrogram mel = model.frontend().compute(samples);
    const auto pass = model.forward(std::span<const MelSpectrogram>(&mel, 1));
    const auto logits = pass->logits(0);
    std::vector<float> p(logits.size());
    std::transform(logits.begin(), logits.end(), p.begin(), [](float x) { return 1.0f / (1.0f + std::exp(-x)); });
    const int pool = model.info().event_pool_columns;
    const auto frame_logits = pass->frame_logits(0, pool);
    const auto column_logits = pool > 1 ? pass->frame_logits(0, 1) : std::vector<float>{};
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    compute_ms += ms;
    ++windows;
    const double end_s = double(span.start + span.length) / kFrontEndInputRate;
    frames->add_window(start_s, end_s, p, frame_logits, column_logits);

    HopReport r;
    r.time_s = end_s;
    r.window_start_s = start_s;
    std::vector<int> order;
    for (int c = 0; c < int(p.size()); ++c)
      if (!std::isnan(p[std::size_t(c)])) order.push_back(c);
    const int k = std::min<int>(settings.top_k, int(order.size()));
    std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](int a, int b) { return p[a] > p[b]; });
    const Labels& labels = analyzer.labels();
    for (int i = 0; i < k; ++i) r.top.push_back({order[i], labels.name(order[i]), p[std::size_t(order[i])]});
    for (int c : settings.watched) r.watched.push_back({c, labels.name(c), p[std::size_t(c)]});
    r.rms_dbfs = dbfs(level_samples ? std::sqrt(sum_squares / double(level_samples)) : 0);
    r.peak_dbfs = dbfs(peak);
    sum_squares = 0, peak = 0, level_samples = 0;
    r.dropped = dropped;
    r.compute_ms = ms;
    sink.hop(r);
  }
};

LiveEngine::LiveEngine(const Analyzer& analyzer, const LiveSettings& settings) {
  const Model& model = analyzer.model();
  const ModelInfo& info = model.info();
  // A model with its own window (YAMNet) uses it, as offline.
  const double window_s = info.window_s > 0 ? info.window_s : settings.window_s;
  const double hop_s = info.hop_s > 0 ? info.hop_s : settings.hop_s;
  if (info.window_s <= 0 && !(window_s >= 1 && window_s <= 10))
    throw Error(ErrorCode::bad_request, "--window-s must be between 1 and 10 s");
  if (!(settings.settle_s >= 0) || settings.settle_s > window_s)
    throw Error(ErrorCode::bad_request, "--settle-s must be between 0 and --window-s");
  if (!(hop_s > 0) || hop_s > window_s)
    throw Error(ErrorCode::bad_request, "--hop-s must be above 0 and at most --window-s");
  if (settings.top_k < 1 || settings.top_k > analyzer.labels().size())
    throw Error(ErrorCode::bad_request, "--top-k must be between 1 and " + std::to_string(analyzer.labels().size()));
  validate_event_options(settings.events);
  const auto window = std::size_t(std::lround(window_s * kFrontEndInputRate));
  const auto hop = std::size_t(std::lround(hop_s * kFrontEndInputRate));
  s_ = std::make_unique<State>(analyzer, settings, window, hop);
  s_->settings.window_s = window_s;
  s_->settings.hop_s = hop_s;
  s_->min_samples = std::size_t(info.min_frames - 1) * model.frontend().input_hop();
  s_->spf = info.time_stride * model.frontend().seconds_per_frame();
  for (int c : settings.watched)
    if (c < 0 || c >= analyzer.labels().size()) throw Error(ErrorCode::bad_request, "--class: unknown class index");
  s_->frames.emplace(s_->spf, info.num_classes, settings.watched, kWindowPresenceHigh, kWindowPresenceLow);
  std::vector<std::string> labels;
  for (int c = 0; c < analyzer.labels().size(); ++c) labels.push_back(analyzer.labels().name(c));
  AnalysisEventOptions event_settings = settings.events;
  event_settings.window_s = window_s, event_settings.hop_s = hop_s;
  const FrameEventOptions detection = frame_event_options(analyzer, event_settings);
  std::vector<float> lows(std::size_t(info.num_classes), float(detection.other_low));
  for (const auto& r : detection.rules)
    if (r.index >= 0 && r.index < info.num_classes) lows[std::size_t(r.index)] = float(r.low);
  s_->frames->set_event_lows(std::move(lows));
  s_->events.emplace(detection, s_->spf, info.num_classes, settings.watched, std::move(labels));
  // Frames final early: events end early too, on their columns (analyze's events need settle_s 0).
  if (settings.settle_s > 0 && detection.onset_fraction > 0) s_->events->end_on_quiet_columns();
}

LiveEngine::~LiveEngine() = default;

void LiveEngine::watch(int index) {
  State& s = *s_;
  if (index < 0 || index >= s.analyzer.labels().size()) throw Error(ErrorCode::bad_request, "class: unknown class index");
  if (std::find(s.settings.watched.begin(), s.settings.watched.end(), index) != s.settings.watched.end()) return;
  s.settings.watched.push_back(index);
  s.frames->hear(index);
  s.events->pin(index);
}

const std::vector<int>& LiveEngine::watched() const { return s_->settings.watched; }

double LiveEngine::stream_time_s() const { return double(s_->total) / kFrontEndInputRate; }
double LiveEngine::seconds_per_frame() const { return s_->spf; }
std::size_t LiveEngine::held_samples() const { return s_->cut.held(); }
long LiveEngine::dropped_windows() const { return s_->dropped; }

void LiveEngine::push(std::span<const float> samples, LiveSink& sink, bool behind) {
  State& s = *s_;
  s.levels(samples, sink);
  s.behind = behind;
  s.total += samples.size();
  s.cut.push(samples, [&](const WindowSpan& span, std::span<const float> w) {
    s.window(span, w, sink);
    // Later windows start one hop on at least: frames before that start are settled
    // (or, with settle_s, the frames heard at least settle_s ago).
    int before = s.frames->settled_before(double(span.start + 1) / kFrontEndInputRate);
    if (s.settings.settle_s > 0 && !s.behind)
      before = std::max(before, std::min(s.frames->stitched(),
                                         int(std::floor((double(span.start + span.length) / kFrontEndInputRate -
                                                         s.settings.settle_s) / s.spf))));
    s.settle(before, sink);
  });
}

LiveTotals LiveEngine::finish(LiveSink& sink) {
  State& s = *s_;
  s.behind = false;  // the last window ends the stream: always analysed
  const double duration_s = double(s.total) / kFrontEndInputRate;
  LiveTotals t;
  t.duration_s = duration_s;
  // As offline: at least 0.1 s of audio is needed for a window.
  if (s.total >= std::size_t(0.1 * kFrontEndInputRate))
    s.cut.finish([&](const WindowSpan& span, std::span<const float> w) { s.window(span, w, sink); });
  s.settle(s.frames->frames_of(duration_s), sink);
  StreamedEventsOut out;
  s.events->finish(duration_s, out);
  s.emit_events(out, sink);
  t.windows = s.windows;
  t.dropped = s.dropped;
  t.events = s.ended;
  t.counts = s.events->counts(duration_s);
  t.other_classes_heard = s.events->other_classes_heard();
  t.heard_late = s.frames->heard_late();
  t.compute_ms = s.compute_ms;
  return t;
}

}  // namespace soundlens
