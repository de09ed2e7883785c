// Analyzer::analyze_stream: the analyses of a recording read as a stream,
// never held whole. One reading gives the windows' probabilities, the frame
// evidence, the figure's spectrogram and, for the methods that read the last
// block only, the maps of the classes ranked highest so far (StreamExplainer);
// a second reading, of the leading windows only, explains what the first
// could not: a target that rose late, or every target of a costlier method.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <optional>

#include "analysis/analysis.h"
#include "analysis/analyzer_parts.h"
#include "analysis/spectrogram_stream.h"
#include "analysis/stream_explainer.h"
#include "analysis/window_stream.h"
#include "core/error.h"
#include "explain/explanation_method.h"

namespace soundlens {

using namespace analysis_detail;

SampleReader file_reader(std::string path, DecodeOptions options) {
  return [path = std::move(path), options](const SampleSink& sink) { return decode_file_stream(path, sink, options); };
}

SampleReader bytes_reader(std::span<const std::uint8_t> bytes, DecodeOptions options) {
  return [bytes, options](const SampleSink& sink) { return decode_memory_stream(bytes, sink, options); };
}

SampleReader memory_reader(const Audio& audio, std::size_t block_samples) {
  block_samples = std::max<std::size_t>(1, block_samples);
  return [&audio, block_samples](const SampleSink& sink) {
    for (std::size_t at = 0; at < audio.samples.size(); at += block_samples)
      sink(std::span<const float>(audio.samples.data() + at, std::min(block_samples, audio.samples.size() - at)));
    return audio.source;
  };
}

namespace {

// Classes explained as the first reading goes, beyond the top k asked for: a
// class that ends among the top k is among these when it reaches its highest
// window unless more than this many others rank above it there.
constexpr int kFollowedBeyondTopK = 5;

// Thrown by a sink to end a reading early.
struct ReadEnough {};

// The probabilities the explainer ranks classes by to follow them
// (AnalysisOptions::follow_ranking), NaN where the pass has no output.
std::vector<float> following_ranking(const AnalysisOptions& o, const std::vector<float>& clip) {
  if (!o.follow_ranking) return clip;
  std::vector<float> ranking = o.follow_ranking(clip);
  if (ranking.size() != clip.size())
    throw Error(ErrorCode::internal, "follow_ranking gave " + std::to_string(ranking.size()) + " classes for " +
                                         std::to_string(clip.size()));
  for (std::size_t c = 0; c < clip.size(); ++c)
    if (std::isnan(clip[c])) ranking[c] = clip[c];
  return ranking;
}

// One analysis of the stream: its windows, what the first reading found and
// explained, what the second fills in.
struct Run {
  const AnalysisOptions* o = nullptr;
  std::vector<int> extra;  // classes asked for
  int contrast = -1;
  std::size_t window_samples = 0, hop_samples = 0;
  std::optional<WindowStream> cut;
  std::vector<MelSpectrogram> mels;  // the batch being filled
  std::vector<double> starts_s;      // ... its windows' starts
  std::size_t windows = 0, explained = 0;
  std::vector<TimelineWindow> timeline;
  std::vector<float> clip;
  MelSpectrogram first_window;
  // The reading's last window, whose frames the next one may copy (FrontEnd::compute_after).
  std::optional<MelSpectrogram> earlier;
  std::size_t earlier_start = 0, earlier_samples = 0;
  std::vector<int> targets;
  std::optional<StreamExplainer> explainer;
  std::size_t missing = 0;  // leading windows the second reading explains
  double features_ms = 0, inference_ms = 0, explain_ms = 0;
  std::optional<FrameStitcher> frames;  // with AnalysisOptions::frame_evidence
};

}  // namespace

std::vector<Analysis> Analyzer::analyze_stream(const SampleReader& read, std::span<const AnalysisOptions> runs_asked,
                                               const SampleSink* observe) const {
  const auto t0 = Clock::now();
  if (runs_asked.empty()) return {};
  const Model& model = *model_;
  const auto& fe = model.frontend();
  // The reader's samples are the decoder's 32 kHz, which is not the front end's
  // own rate for every model (YAMNet's is 16 kHz: taking it for the samples'
  // rate halved the windows and doubled every time, issue 17).
  const int sr = kFrontEndInputRate;
  const std::size_t min_samples = std::size_t(model.info().min_frames - 1) * fe.input_hop();
  std::vector<Run> runs(runs_asked.size());
  for (std::size_t i = 0; i < runs.size(); ++i) {
    Run& r = runs[i];
    const AnalysisOptions& o = runs_asked[i];
    r.o = &o;
    check_options(o);
    if (o.faithfulness || o.sanity)
      throw Error(ErrorCode::bad_request, "faithfulness and sanity checks need the whole recording in memory");
    for (const auto& wanted : o.classes) {
      auto index = labels_->find(wanted);
      if (!index) throw Error(ErrorCode::bad_request, "unknown class " + quoted_value(wanted) + " (give an index 0-" +
                                                          std::to_string(labels_->size() - 1) + " or a class name)");
      check_predicted(model, *labels_, *index);
      r.extra.push_back(*index);
    }
    r.contrast = contrast_class(o);
    explanation_method(o.method);  // an unknown method fails before any work
    r.window_samples = std::size_t(std::lround(window_s(model, o) * sr));
    r.hop_samples = std::size_t(std::lround(hop_s(model, o) * sr));
    if (o.frame_evidence) r.frames.emplace(analysis_detail::frame_seconds(model), model.info().num_classes, o.frame_sink);
    r.explainer.emplace(model, explanation_method(o.method), r.contrast, r.extra, o.top_k + kFollowedBeyondTopK, o.stop);
  }
  const Deadline deadline(runs_asked.front().limits.timeout_s);
  // Progress is the first run's, over the readings ("windows": the first,
  // whose length is unknown until its end, so its fraction is an estimate that
  // only grows; "explain": the second, exact); every run's cancellation is checked.
  const auto progress = [&](const char* stage, double fraction) {
    for (const auto& o : runs_asked) check_cancel(o.stop);
    check_progress(runs_asked.front(), stage, fraction);
  };
  constexpr double kEstimateS = 600;
  double sink_ms = 0, read_ms = 0;  // the readings, and the analysis' work inside them (the rest is decoding)

  std::size_t total = 0;  // samples of the first reading so far
  bool all_zero = true;
  // The mel of one window, padded with silence to the network's minimum length.
  std::vector<float> padded;
  // Windows overlap: the frames a window shares whole with the one before come from it.
  const auto window_mel = [&](Run& r, const WindowSpan& span, std::span<const float> samples) {
    if (samples.size() < min_samples) {
      padded.assign(samples.begin(), samples.end());
      padded.resize(min_samples, 0.0f);
      r.earlier.reset();  // silence past the samples: not the stream's
      return fe.compute(padded);
    }
    MelSpectrogram mel = r.earlier && span.start > r.earlier_start
                             ? fe.compute_after(samples, *r.earlier, r.earlier_samples, span.start - r.earlier_start)
                             : fe.compute(samples);
    r.earlier = mel;
    r.earlier_start = span.start;
    r.earlier_samples = samples.size();
    return mel;
  };

  // First reading: every run's windows through the network, probabilities kept.
  const auto infer = [&](Run& r) {
    if (r.mels.empty()) return;
    const auto t1 = Clock::now();
    auto batch = model.forward(r.mels);
    for (int w = 0; w < batch->windows(); ++w) {
      auto logits = batch->logits(w);
      std::vector<float> p(logits.size());
      std::transform(logits.begin(), logits.end(), p.begin(), sigmoid);
      r.clip.resize(p.size(), 0.0f);
      for (std::size_t c = 0; c < p.size(); ++c) r.clip[c] = std::isnan(p[c]) ? p[c] : std::max(r.clip[c], p[c]);
      TimelineWindow tw;
      tw.start_s = r.starts_s[std::size_t(w)];
      tw.probabilities = std::move(p);
      if (r.frames) add_frame_evidence(*r.frames, tw.start_s, *batch, w, model.info().event_pool_columns);
      r.timeline.push_back(std::move(tw));
    }
    r.inference_ms += ms_since(t1);
    const auto t2 = Clock::now();
    r.explainer->first_batch(WindowBatch{r.mels, batch.get()}, r.starts_s, following_ranking(*r.o, r.clip));
    r.explain_ms += ms_since(t2);
    r.mels.clear();
    r.starts_s.clear();
  };
  const auto first_window = [&](Run& r, const WindowSpan& span, std::span<const float> samples) {
    if (++r.windows > std::size_t(r.o->limits.max_windows)) return;  // only counted, for the error
    if (r.mels.empty()) {
      deadline.check();
      const double seconds = double(total) / sr;
      progress("windows", seconds / (seconds + kEstimateS));
    }
    const auto t1 = Clock::now();
    r.mels.push_back(window_mel(r, span, samples));
    if (r.windows == 1) r.first_window = r.mels.back();
    r.starts_s.push_back(double(span.start) / sr);
    r.features_ms += ms_since(t1);
    if (r.mels.size() == kWindowsPerBatch) infer(r);
  };
  std::vector<std::vector<double>> window_ends(runs.size());
  for (auto& r : runs) r.cut.emplace(r.window_samples, r.hop_samples);
  // The figure's spectrogram of the whole recording, wanted when a run with a
  // figure has more than one window (one window's own is the figure's): the
  // samples up to the longest such window are held until the recording is
  // known to be longer.
  std::size_t figure_window = 0;
  for (const auto& r : runs)
    if (r.o->figure) figure_window = std::max(figure_window, r.window_samples);
  std::vector<float> figure_head;
  std::optional<SpectrogramStream> spectrogram;
  const auto figure_push = [&](std::span<const float> block) {
    if (spectrogram) return spectrogram->push(block);
    figure_head.insert(figure_head.end(), block.begin(), block.end());
    if (figure_head.size() <= figure_window) return;
    spectrogram.emplace(fe);
    spectrogram->push(figure_head);
    figure_head = {};
  };
  const SampleSink first_sink = [&](std::span<const float> block) {
    const auto t1 = Clock::now();
    if (observe) (*observe)(block);
    if (figure_window > 0) figure_push(block);
    total += block.size();
    if (all_zero) all_zero = std::all_of(block.begin(), block.end(), [](float s) { return s == 0.0f; });
    for (std::size_t i = 0; i < runs.size(); ++i)
      runs[i].cut->push(block, [&](const WindowSpan& span, std::span<const float> samples) {
        window_ends[i].push_back(double(span.start + span.length) / sr);
        first_window(runs[i], span, samples);
      });
    sink_ms += ms_since(t1);
  };
  auto t_read = Clock::now();
  const AudioSource source = read(first_sink);
  read_ms += ms_since(t_read);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    runs[i].cut->finish([&](const WindowSpan& span, std::span<const float> samples) {
      window_ends[i].push_back(double(span.start + span.length) / sr);
      first_window(runs[i], span, samples);
    });
    infer(runs[i]);
    runs[i].cut.reset();
  }
  check_usable(total, sr, all_zero);

  std::vector<Analysis> out(runs.size());
  for (std::size_t i = 0; i < runs.size(); ++i) {
    Run& r = runs[i];
    const AnalysisOptions& o = *r.o;
    check_window_count(r.windows, window_s(model, o), hop_s(model, o), o);
    Analysis& a = out[i];
    a.model = model.info().name;
    a.audio = source;
    a.duration_s = double(total) / sr;
    a.window_s = window_s(model, o);
    a.hop_s = hop_s(model, o);
    a.probabilities = r.clip;
    for (std::size_t w = 0; w < r.timeline.size(); ++w) {
      TimelineWindow& tw = r.timeline[w];
      tw.end_s = window_ends[i][w];
      for (int c : top_classes(tw.probabilities, o.top_k)) tw.predictions.push_back({c, labels_->name(c), tw.probabilities[c]});
    }
    window_ends[i] = {};
    a.timeline = std::move(r.timeline);
    if (r.frames) a.frames = std::move(*r.frames).finish(a.duration_s);
    auto targets = top_classes(a.probabilities, o.top_k);
    for (int c : targets) a.predictions.push_back({c, labels_->name(c), a.probabilities[c]});
    std::vector<int> extra = r.extra;
    if (o.more_targets)
      for (int c : o.more_targets(a.timeline))
        if (c >= 0 && c < labels_->size() && !std::isnan(a.probabilities[c])) extra.push_back(c);
    for (int c : extra)
      if (std::find(targets.begin(), targets.end(), c) == targets.end()) targets.push_back(c);
    if (r.contrast >= 0) std::erase(targets, r.contrast);
    r.targets = targets;
    a.timings_ms["features"] = r.features_ms;
    a.timings_ms["inference"] = r.inference_ms;
    r.missing = r.explainer->plan(targets, r.windows);
    r.earlier.reset();  // the second reading starts again from the first window
    if (r.missing > 0) r.cut.emplace(r.window_samples, r.hop_samples);
  }

  // Second reading, only as far as the windows some target still lacks.
  std::size_t second_total = 0, second_done = 0;
  for (const auto& r : runs) second_total += r.missing;
  const auto explain_batch = [&](Run& r) {
    if (r.mels.empty()) return;
    deadline.check();
    auto batch = model.forward(r.mels);
    r.explainer->second_batch(WindowBatch{r.mels, batch.get()}, r.starts_s, r.explained);
    r.explained += r.mels.size();
    second_done += r.mels.size();
    progress("explain", std::min(1.0, double(second_done) / double(second_total)));
    r.mels.clear();
    r.starts_s.clear();
  };
  const auto second_window = [&](Run& r, const WindowSpan& span, std::span<const float> samples) {
    if (r.explained + r.mels.size() >= r.missing) return;  // past what is missing: only cut
    const auto t1 = Clock::now();
    r.mels.push_back(window_mel(r, span, samples));
    r.starts_s.push_back(double(span.start) / sr);
    if (r.mels.size() == kWindowsPerBatch) explain_batch(r);
    r.explain_ms += ms_since(t1);
  };
  const auto all_explained = [&] {
    return std::all_of(runs.begin(), runs.end(), [](const Run& r) { return r.explained >= r.missing; });
  };
  if (second_total > 0) {
    progress("explain", 0.0);
    const SampleSink second_sink = [&](std::span<const float> block) {
      const auto t1 = Clock::now();
      for (auto& r : runs)
        if (r.cut) r.cut->push(block, [&](const WindowSpan& span, std::span<const float> s) { second_window(r, span, s); });
      sink_ms += ms_since(t1);
      if (all_explained()) throw ReadEnough{};
    };
    t_read = Clock::now();
    try {
      read(second_sink);
      for (auto& r : runs) {
        if (!r.cut) continue;
        const auto t1 = Clock::now();
        r.cut->finish([&](const WindowSpan& span, std::span<const float> s) { second_window(r, span, s); });
        explain_batch(r);
        r.explain_ms += ms_since(t1);
      }
    } catch (const ReadEnough&) {
    }
    read_ms += ms_since(t_read);
    for (auto& r : runs) r.cut.reset();
    if (!all_explained()) throw Error(ErrorCode::internal, "the second reading did not bring every missing window");
  }
  progress("explain", 1.0);
  std::optional<MelSpectrogram> whole;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    Run& r = runs[i];
    Analysis& a = out[i];
    if (!r.targets.empty()) {
      const auto t1 = Clock::now();
      auto maps = r.explainer->finish(a.duration_s);
      r.explainer.reset();
      for (std::size_t c = 0; c < r.targets.size(); ++c) {
        Explanation e;
        e.target = {r.targets[c], labels_->name(r.targets[c]), a.probabilities[std::size_t(r.targets[c])]};
        if (r.contrast >= 0)
          e.contrast = Prediction{r.contrast, labels_->name(r.contrast), a.probabilities[std::size_t(r.contrast)]};
        e.cam = std::move(maps[c]);
        a.explanations.push_back(std::move(e));
      }
      r.explain_ms += ms_since(t1);
    }
    a.timings_ms["explain"] = r.explain_ms;
    if (r.o->figure && !a.explanations.empty()) {
      if (r.windows == 1) {
        a.overview = std::move(r.first_window);
      } else {
        if (!whole) {
          if (!spectrogram) {  // no longer than the longest window: the held samples are the recording
            spectrogram.emplace(fe);
            spectrogram->push(figure_head);
          }
          whole = spectrogram->finish();
        }
        a.overview = *whole;
      }
    }
  }
  const double elapsed = ms_since(t0);
  for (auto& a : out) {
    a.timings_ms["analysis"] = elapsed;
    a.timings_ms["decode"] = std::max(0.0, read_ms - sink_ms);
  }
  return out;
}

}  // namespace soundlens
