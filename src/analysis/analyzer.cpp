#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <optional>

#include "analysis/analysis.h"
#include "analysis/analyzer_parts.h"
#include "analysis/windowing.h"
#include "core/error.h"
#include "explain/explanation_method.h"

namespace soundlens {
namespace {

using namespace analysis_detail;

constexpr std::size_t kSpanContextFrames = 8;

// Everything one backbone pass over all windows gives.
struct WindowedPass {
  std::vector<WindowSpan> spans;
  std::vector<std::unique_ptr<ForwardPass>> batches;
  std::vector<std::vector<MelSpectrogram>> batch_inputs;  // each batch's windows
  std::vector<std::vector<float>> probabilities;  // per window
  std::vector<float> clip;                        // per class: the maximum over windows
  MelSpectrogram first_window;                    // the whole recording when there is one window
  std::optional<FrameStitcher> frames;            // with AnalysisOptions::frame_evidence
  double features_ms = 0, inference_ms = 0;
};

WindowedPass run_windows(const Model& model, const Audio& audio, const AnalysisOptions& o, const Deadline& deadline) {
  explanation_method(o.method);  // an unknown method fails before any work
  check_usable(audio);
  const auto& fe = model.frontend();
  const auto sr = std::size_t(audio.sample_rate);
  WindowedPass pass;
  pass.spans = plan_windows(audio.samples.size(), std::size_t(std::lround(window_s(model, o) * sr)),
                            std::size_t(std::lround(hop_s(model, o) * sr)));
  check_window_count(pass.spans.size(), window_s(model, o), hop_s(model, o), o);
  // Networks with pooling need a minimum length: pad short windows with silence.
  const std::size_t min_samples = std::size_t(model.info().min_frames - 1) * fe.input_hop();
  std::vector<float> padded;
  if (o.frame_evidence) pass.frames.emplace(frame_seconds(model), model.info().num_classes, o.frame_sink);
  for (std::size_t b = 0; b < pass.spans.size(); b += kWindowsPerBatch) {
    deadline.check();
    check_progress(o, "windows", double(b) / double(pass.spans.size()));
    auto t0 = Clock::now();
    std::vector<MelSpectrogram> mels;
    for (std::size_t w = b; w < std::min(b + kWindowsPerBatch, pass.spans.size()); ++w) {
      std::span<const float> samples(audio.samples.data() + pass.spans[w].start, pass.spans[w].length);
      if (samples.size() < min_samples) {
        padded.assign(samples.begin(), samples.end());
        padded.resize(min_samples, 0.0f);
        samples = padded;
      }
      mels.push_back(fe.compute(samples));
    }
    auto t1 = Clock::now();
    pass.features_ms += std::chrono::duration<double, std::milli>(t1 - t0).count();
    auto batch = model.forward(mels);
    for (int w = 0; w < batch->windows(); ++w) {
      auto logits = batch->logits(w);
      std::vector<float> p(logits.size());
      std::transform(logits.begin(), logits.end(), p.begin(), sigmoid);
      pass.clip.resize(p.size(), 0.0f);
      for (std::size_t c = 0; c < p.size(); ++c) pass.clip[c] = std::isnan(p[c]) ? p[c] : std::max(pass.clip[c], p[c]);
      pass.probabilities.push_back(std::move(p));
      if (pass.frames) add_frame_evidence(*pass.frames, double(pass.spans[b + std::size_t(w)].start) / sr, *batch, w, model.info().event_pool_columns);
    }
    pass.batches.push_back(std::move(batch));
    pass.inference_ms += ms_since(t1);
    if (b == 0) pass.first_window = mels.front();
    // explain_recording takes each batch's windows (input methods read them).
    pass.batch_inputs.push_back(std::move(mels));
  }
  return pass;
}

std::vector<CamMap> explain_maps(const Model& model, const WindowedPass& pass, const Audio& audio,
                                 const std::vector<int>& classes, int contrast, const AnalysisOptions& o,
                                 const Deadline& deadline) {
  deadline.check();
  std::vector<WindowBatch> batches;
  for (std::size_t b = 0; b < pass.batches.size(); ++b) batches.push_back({pass.batch_inputs[b], pass.batches[b].get()});
  std::vector<double> starts;
  for (const auto& s : pass.spans) starts.push_back(double(s.start) / audio.sample_rate);
  std::vector<ExplainTarget> targets;
  for (int c : classes) targets.push_back({c, contrast});
  return explain_recording(model, explanation_method(o.method), batches, starts, targets, audio.duration_s(), o.stop);
}

std::vector<Explanation> explain_classes(const Model& model, const Labels& labels, const WindowedPass& pass,
                                         const Audio& audio, const std::vector<int>& classes, int contrast,
                                         const AnalysisOptions& o, const Deadline& deadline) {
  if (classes.empty()) return {};
  auto maps = explain_maps(model, pass, audio, classes, contrast, o, deadline);
  std::vector<Explanation> out;
  for (std::size_t c = 0; c < classes.size(); ++c) {
    Explanation e;
    e.target = {classes[c], labels.name(classes[c]), pass.clip[std::size_t(classes[c])]};
    if (contrast >= 0) e.contrast = Prediction{contrast, labels.name(contrast), pass.clip[std::size_t(contrast)]};
    e.cam = std::move(maps[c]);
    out.push_back(std::move(e));
  }
  return out;
}

// Faithfulness and sanity of each map, as the options ask.
void check_explanations(const Model& model, const Audio& audio, const AnalysisOptions& o, int contrast,
                        std::vector<Explanation>& explanations, const Deadline& deadline) {
  if (!o.faithfulness && !o.sanity) return;
  const auto& fe = model.frontend();
  const double frames_per_second = double(fe.sample_rate()) / fe.hop_length();
  const MelSpectrogram whole = fe.compute(audio.samples);
  for (auto& e : explanations) {
    deadline.check();
    if (o.faithfulness)
      e.faithfulness = faithfulness(model, whole, int(std::lround(window_s(model, o) * frames_per_second)),
                                    int(std::lround(hop_s(model, o) * frames_per_second)), e.cam,
                                    kFaithfulnessSeed, 0, o.stop);
    if (o.sanity) {
      const int target = e.target.index;
      e.sanity = sanity_check(model, [&](const Model& m) {
        const auto pass = run_windows(m, audio, o, deadline);
        return explain_maps(m, pass, audio, {target}, contrast, o, deadline).front();
      });
    }
  }
}

}  // namespace

Analyzer::Analyzer(std::shared_ptr<const Model> model, std::shared_ptr<const Labels> labels)
    : model_(std::move(model)), labels_(std::move(labels)) {
  if (!model_->info().class_names.empty()) labels_ = std::make_shared<const Labels>(Labels::from_names(model_->info().class_names));
  if (labels_->size() != model_->info().num_classes)
    throw Error(ErrorCode::model_not_loaded, "the class list has " + std::to_string(labels_->size()) +
                                                 " classes but the model has " +
                                                 std::to_string(model_->info().num_classes));
}

double Analyzer::frame_seconds() const { return analysis_detail::frame_seconds(*model_); }

Analysis Analyzer::analyze(const Audio& audio, const AnalysisOptions& o) const {
  const auto t0 = Clock::now();
  check_options(o);
  std::vector<int> extra;
  for (const auto& wanted : o.classes) {
    auto index = labels_->find(wanted);
    if (!index) throw Error(ErrorCode::bad_request, "unknown class " + quoted_value(wanted) + " (give an index 0-" +
                                                        std::to_string(labels_->size() - 1) + " or a class name)");
    check_predicted(*model_, *labels_, *index);
    extra.push_back(*index);
  }
  const int contrast = contrast_class(o);
  const Deadline deadline(o.limits.timeout_s);
  auto pass = run_windows(*model_, audio, o, deadline);

  Analysis a;
  a.model = model_->info().name;
  a.audio = audio.source;
  a.duration_s = audio.duration_s();
  a.window_s = window_s(*model_, o);
  a.hop_s = hop_s(*model_, o);
  a.probabilities = pass.clip;
  if (pass.frames) a.frames = std::move(*pass.frames).finish(a.duration_s);
  for (std::size_t w = 0; w < pass.spans.size(); ++w) {
    const auto& p = pass.probabilities[w];
    TimelineWindow tw;
    tw.start_s = double(pass.spans[w].start) / audio.sample_rate;
    tw.end_s = double(pass.spans[w].start + pass.spans[w].length) / audio.sample_rate;
    for (int c : top_classes(p, o.top_k)) tw.predictions.push_back({c, labels_->name(c), p[c]});
    tw.probabilities = p;
    a.timeline.push_back(std::move(tw));
  }
  auto targets = top_classes(a.probabilities, o.top_k);
  for (int c : targets) a.predictions.push_back({c, labels_->name(c), a.probabilities[c]});
  if (o.more_targets)
    for (int c : o.more_targets(a.timeline))
      if (c >= 0 && c < labels_->size() && !std::isnan(a.probabilities[c])) extra.push_back(c);
  for (int c : extra)
    if (std::find(targets.begin(), targets.end(), c) == targets.end()) targets.push_back(c);
  if (contrast >= 0) std::erase(targets, contrast);

  const auto t_explain = Clock::now();
  check_progress(o, "explain", 0.0);
  a.explanations = explain_classes(*model_, *labels_, pass, audio, targets, contrast, o, deadline);
  check_explanations(*model_, audio, o, contrast, a.explanations, deadline);
  check_progress(o, "explain", 1.0);
  a.timings_ms["features"] = pass.features_ms;
  a.timings_ms["inference"] = pass.inference_ms;
  a.timings_ms["explain"] = ms_since(t_explain);
  // One window covers the whole recording: its spectrogram is the figure's.
  if (o.figure) a.overview = pass.spans.size() == 1 ? std::move(pass.first_window) : this->spectrogram(audio);
  a.timings_ms["analysis"] = ms_since(t0);
  return a;
}

Analyzer::WindowEmbeddings Analyzer::embed(const Audio& audio, const AnalysisOptions& o) const {
  check_options(o);
  const Deadline deadline(o.limits.timeout_s);
  auto pass = run_windows(*model_, audio, o, deadline);
  WindowEmbeddings e;
  e.spans = pass.spans;
  e.probabilities = std::move(pass.probabilities);
  e.clip = std::move(pass.clip);
  for (const auto& batch : pass.batches)
    for (int w = 0; w < batch->windows(); ++w) {
      const auto values = batch->embedding(w);
      if (values.empty()) throw Error(ErrorCode::bad_request, "model " + model_->info().name + " gives no embedding");
      e.size = int(values.size());
      e.values.insert(e.values.end(), values.begin(), values.end());
    }
  return e;
}

Explanation Analyzer::explain(const Audio& audio, int class_index, const AnalysisOptions& o,
                              bool listen_check) const {
  check_options(o);
  if (class_index < 0 || class_index >= labels_->size())
    throw Error(ErrorCode::bad_request, "class must be between 0 and " + std::to_string(labels_->size() - 1));
  check_predicted(*model_, *labels_, class_index);
  const int contrast = contrast_class(o);
  if (contrast == class_index)
    throw Error(ErrorCode::bad_request, "the contrast class must differ from the explained class");
  const Deadline deadline(o.limits.timeout_s);
  const auto pass = run_windows(*model_, audio, o, deadline);
  std::vector<Explanation> one = explain_classes(*model_, *labels_, pass, audio, {class_index}, contrast, o, deadline);
  check_explanations(*model_, audio, o, contrast, one, deadline);
  if (listen_check) one.front().listen = check_of(listen_search(audio, one.front(), o));
  return one.front();
}

ListenAudio Analyzer::listen(const Audio& audio, const Explanation& e) const {
  return listen_search(audio, e, AnalysisOptions{}).audio;
}

ListenResult Analyzer::listen_search(const Audio& audio, const Explanation& e, const AnalysisOptions& o) const {
  check_usable(audio);
  const auto& fe = model_->frontend();
  const double frames_per_second = double(fe.sample_rate()) / fe.hop_length();
  ListenSearchOptions search;
  search.window_frames = int(std::lround(window_s(*model_, o) * frames_per_second));
  search.hop_frames = int(std::lround(hop_s(*model_, o) * frames_per_second));
  search.cancel = o.stop;
  search.time_limit_s = o.limits.timeout_s;
  search.limit_name = "the analysis time limit (--analysis-timeout-s)";
  return soundlens::listen_search(*model_, audio.samples, e.cam, search);
}

ListenCheck Analyzer::check_of(const ListenResult& result) {
  ListenCheck check{result.kept_probability, result.removed_probability, result};
  check.search->audio = {};
  return check;
}

int Analyzer::contrast_class(const AnalysisOptions& o) const {
  if (o.contrast.empty()) return -1;
  const auto index = labels_->find(o.contrast);
  if (!index) throw Error(ErrorCode::bad_request, "unknown contrast class " + quoted_value(o.contrast));
  check_predicted(*model_, *labels_, *index);
  return *index;
}

MelSpectrogram Analyzer::spectrogram(const Audio& audio) const {
  check_usable(audio);
  return model_->frontend().compute(audio.samples);
}

namespace {

// The frames from start_s to end_s of a recording of `total` samples (at
// least: a lower bound when its end was not read), of which `held` are
// samples [offset, offset + held.size()), enough to cover the span's
// frames and their context.
MelSpectrogram span_spectrogram(const FrontEnd& fe, int sample_rate, std::span<const float> held, std::size_t offset,
                                std::size_t total, double start_s, double end_s, double* first_s) {
  const std::size_t hop = fe.input_hop();
  const double seconds_per_frame = double(hop) / sample_rate;
  const std::size_t total_frames = 1 + total / hop;
  const std::size_t f0 = std::min(total_frames - 1, std::size_t(std::max(0.0, start_s) / seconds_per_frame));
  const std::size_t f1 = std::clamp(std::size_t(std::ceil(end_s / seconds_per_frame)), f0 + 1, total_frames);
  // A frame sees at most half an FFT (<= 1024 samples) on each side: context
  // of 8 frames (2560 samples) keeps the span's frames away from the reflect padding.
  const std::size_t c0 = f0 > kSpanContextFrames ? f0 - kSpanContextFrames : 0;
  const std::size_t c1 = std::min(total_frames, f1 + kSpanContextFrames);
  const std::size_t s0 = c0 * hop, s1 = std::min(total, c1 * hop);
  if (s0 < offset || s1 > offset + held.size())
    throw Error(ErrorCode::internal, "spectrogram span: the samples read do not cover the span");
  auto chunk = fe.compute(held.subspan(s0 - offset, s1 - s0));
  MelSpectrogram out = chunk;
  const int first = int(f0 - c0), frames = int(std::min<std::size_t>(f1 - f0, std::size_t(chunk.n_frames - first)));
  out.n_frames = frames;
  out.values.assign(std::size_t(out.n_mels) * frames, 0.0f);
  for (int m = 0; m < out.n_mels; ++m)
    std::copy_n(chunk.values.begin() + std::ptrdiff_t(std::size_t(m) * chunk.n_frames + first), frames,
                out.values.begin() + std::ptrdiff_t(std::size_t(m) * frames));
  *first_s = double(f0) * seconds_per_frame;
  return out;
}

// Thrown by the sink to stop a reading once the span is covered.
struct SpanRead {};

}  // namespace

MelSpectrogram Analyzer::spectrogram(const Audio& audio, double start_s, double end_s, double* first_s) const {
  check_usable(audio);
  return span_spectrogram(model_->frontend(), audio.sample_rate, audio.samples, 0, audio.samples.size(), start_s,
                          end_s, first_s);
}

MelSpectrogram Analyzer::spectrogram(const SampleReader& read, double start_s, double end_s, double* first_s) const {
  const auto& fe = model_->frontend();
  const int sr = kFrontEndInputRate;  // the reader's samples, not the front end's own rate
  const std::size_t hop = fe.input_hop();
  const double seconds_per_frame = double(hop) / sr;
  const std::size_t f0 = std::size_t(std::max(0.0, start_s) / seconds_per_frame);
  const std::size_t f1 = std::max(f0 + 1, std::size_t(std::ceil(std::max(0.0, end_s) / seconds_per_frame)));
  // Held: from the first frame's context to one frame past the last one's.
  const std::size_t from = (f0 > kSpanContextFrames ? f0 - kSpanContextFrames : 0) * hop;
  const std::size_t to = (f1 + kSpanContextFrames + 1) * hop;
  std::vector<float> held;
  std::size_t total = 0;
  bool ended = false, all_zero = true;
  try {
    read([&](std::span<const float> block) {
      const std::size_t a = std::clamp(total, from, to), b = std::clamp(total + block.size(), from, to);
      if (b > a) held.insert(held.end(), block.begin() + std::ptrdiff_t(a - total), block.begin() + std::ptrdiff_t(b - total));
      if (all_zero) all_zero = std::all_of(block.begin(), block.end(), [](float x) { return x == 0.0f; });
      total += block.size();
      if (total >= to) throw SpanRead{};
    });
    ended = true;
  } catch (const SpanRead&) {
  }
  if (ended) check_usable(total, sr, all_zero);
  const std::size_t last_frame = total / hop;  // the span is clamped to the recording's frames
  const std::size_t clamped = std::min(f0, last_frame);
  const std::size_t need_from = (clamped > kSpanContextFrames ? clamped - kSpanContextFrames : 0) * hop;
  if (ended && need_from < from) {
    // The span starts past the end: its last frames, which need samples from before `from`.
    std::vector<float> tail;
    std::size_t at = 0;
    read([&](std::span<const float> block) {
      const std::size_t a = std::max(at, need_from), b = at + block.size();
      if (b > a) tail.insert(tail.end(), block.begin() + std::ptrdiff_t(a - at), block.end());
      at += block.size();
    });
    return span_spectrogram(fe, sr, tail, need_from, total, start_s, end_s, first_s);
  }
  return span_spectrogram(fe, sr, held, from, total, start_s, end_s, first_s);
}

}  // namespace soundlens
