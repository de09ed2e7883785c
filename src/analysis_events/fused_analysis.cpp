#include "analysis_events/fused_analysis.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <functional>
#include <optional>
#include <thread>

#include "analysis/read_ahead.h"
#include "analysis/windowing.h"
#include "analysis_events/clip_exchange.h"
#include "analysis_events/fusion.h"
#include "core/error.h"
#include "events/quality.h"
#include "features/mel_spectrogram.h"

namespace soundlens {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Per class, the maximum over the windows (as the analyzer's clip probabilities).
std::vector<float> clip_of(const std::vector<TimelineWindow>& timeline) {
  std::vector<float> clip;
  for (const auto& w : timeline) {
    clip.resize(w.probabilities.size(), 0.0f);
    for (std::size_t c = 0; c < clip.size(); ++c)
      clip[c] = std::isnan(w.probabilities[c]) ? w.probabilities[c] : std::max(clip[c], w.probabilities[c]);
  }
  return clip;
}

std::vector<int> ranked(std::span<const float> p, int k) {
  std::vector<int> order;
  for (int c = 0; c < int(p.size()); ++c)
    if (!std::isnan(p[c])) order.push_back(c);
  k = std::clamp(k, 0, int(order.size()));
  std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](int a, int b) { return p[a] > p[b]; });
  order.resize(std::size_t(k));
  return order;
}

// The top k of fused probabilities, each with the model that gave it.
std::vector<Prediction> fused_predictions(const std::vector<float>& a, const std::vector<float>& b, const Labels& labels,
                                          const std::string& name_a, const std::string& name_b, int k) {
  std::vector<float> fused(a.size());
  for (std::size_t c = 0; c < a.size(); ++c) fused[c] = fused_probability(a[c], b[c]);
  std::vector<Prediction> out;
  for (int c : ranked(fused, k)) {
    const bool from_a = !std::isnan(a[std::size_t(c)]) && (std::isnan(b[std::size_t(c)]) || a[std::size_t(c)] >= b[std::size_t(c)]);
    out.push_back({c, labels.name(c), fused[std::size_t(c)], from_a ? name_a : name_b});
  }
  return out;
}

std::vector<float> fused_values(const std::vector<float>& a, const std::vector<float>& b) {
  std::vector<float> out(a.size());
  for (std::size_t c = 0; c < a.size(); ++c) out[c] = fused_probability(a[c], b[c]);
  return out;
}

// A pass's ranking of the classes to follow as it reads: its own clip
// probabilities fused with the other pass's so far (none yet: its own).
std::vector<float> ranking_with(std::span<const float> own, const std::vector<float>& other) {
  std::vector<float> out(own.begin(), own.end());
  if (other.size() == out.size())
    for (std::size_t c = 0; c < out.size(); ++c) out[c] = fused_probability(out[c], other[c]);
  return out;
}

// The component passes: every window kept as frame evidence, the explained
// classes chosen by the fusion (fused_targets), no classes of their own to
// refuse (a pinned class one model lacks is explained by the other).
AnalysisOptions part_options(const AnalysisOptions& o) {
  AnalysisOptions p = o;
  p.classes.clear();
  p.top_k = 1;  // the fused top k is what is explained; its own top class is the least it explains
  p.frame_evidence = true;
  p.more_targets = nullptr;
  return p;
}

using RunPart = std::function<Analysis(const Analyzer&, const AnalysisOptions&)>;

struct PartsDone {
  Analysis first, second;
  std::vector<int> targets;
};

// With one inference thread: the first model's pass, and inside it (once its
// windows' probabilities are known, before it explains) the second's whole
// pass: both then explain the same fused targets.
PartsDone run_parts_nested(const FusedModels& m, const AnalysisOptions& o, std::span<const int> pinned,
                           const RunPart& run) {
  const auto t0 = Clock::now();
  AnalysisOptions first = part_options(o), second = part_options(o);
  second.figure = false;      // the figure is drawn over the first's spectrogram
  second.progress = nullptr;  // a job's progress is the first's, whose stages hold the second's
  std::optional<Analysis> second_done;
  std::vector<int> targets;
  bool second_failed = false;  // an error came out of the second's pass, said as the fused model's there
  const auto with_second = [&](const std::vector<TimelineWindow>& first_windows) {
    const std::vector<float> first_clip = clip_of(first_windows);
    const long used = long(first_windows.size());
    second.limits.max_windows = o.limits.max_windows - used;
    second.limits.timeout_s = o.limits.timeout_s - seconds_since(t0);
    const std::string first_name = m.first->model().info().name, second_name = m.second->model().info().name;
    char text[240];
    if (second.limits.max_windows < 1) {
      std::snprintf(text, sizeof text,
                    "the fused model counts both networks' windows: %s alone used %ld, and the limit is %ld "
                    "(--max-windows); nothing is left for %s",
                    first_name.c_str(), used, o.limits.max_windows, second_name.c_str());
      throw Error(ErrorCode::too_many_windows, text);
    }
    std::snprintf(text, sizeof text, "the analysis took longer than its limit of %g s (--analysis-timeout-s), which "
                  "the fused model's two networks share", o.limits.timeout_s);
    if (second.limits.timeout_s <= 0) throw Error(ErrorCode::timeout, text);
    second.follow_ranking = [first_clip](std::span<const float> clip) { return ranking_with(clip, first_clip); };
    second.more_targets = [&](const std::vector<TimelineWindow>& second_windows) {
      targets = fused_targets(first_clip, clip_of(second_windows), o.top_k, pinned);
      return targets;
    };
    try {
      second_done = run(*m.second, second);
    } catch (const Error& e) {
      if (e.code() == ErrorCode::timeout) throw Error(ErrorCode::timeout, text);
      if (e.code() != ErrorCode::too_many_windows) throw;
      throw Error(ErrorCode::too_many_windows, "the fused model counts both networks' windows: " + first_name +
                                                   " used " + std::to_string(used) + " of the limit, " +
                                                   std::to_string(second.limits.max_windows) + " are left for " +
                                                   second_name + ": " + e.what());
    }
    return targets;
  };
  first.more_targets = [&](const std::vector<TimelineWindow>& first_windows) {
    try {
      return with_second(first_windows);
    } catch (...) {
      second_failed = true;
      throw;
    }
  };
  std::optional<Analysis> first_done;
  try {
    first_done = run(*m.first, first);
  } catch (const Error& e) {
    // The first's own limit is the fused model's too (the second's errors are said above).
    if (e.code() != ErrorCode::timeout || second_failed) throw;
    throw Error(e.code(), std::string(e.what()) + " (the fused model's two networks run within it)");
  }
  if (!second_done) throw Error(ErrorCode::internal, "fused analysis: the second model did not run");
  return {std::move(*first_done), std::move(*second_done), std::move(targets)};
}

// With two or more inference threads: both passes at once, each on a thread
// of its own with half of them (small networks such as YAMNet's gain little
// from a second intra-op thread, and each pass's decoding and features run
// beside the other's inference). Each reads the recording, following the
// classes both rank highest so far; then they swap their clip probabilities
// (ClipExchange) and both explain the same fused targets. The window limit
// counts both passes' windows when they meet.
// Thrown where the passes meet when their windows together pass the limit.
struct BothPassTheLimit {
  std::string text;
};

PartsDone run_parts_together(const FusedModels& m, const AnalysisOptions& o, std::span<const int> pinned,
                             const RunPart& run, int threads) {
  AnalysisOptions first = part_options(o), second = part_options(o);
  second.figure = false;      // the figure is drawn over the first's spectrogram
  second.progress = nullptr;  // a job's progress is the first's
  ClipExchange exchange;
  std::vector<int> targets;
  const int mine = std::max(1, threads / 2);
  const int own_threads[2] = {mine, std::max(1, threads - mine)};
  const auto meet = [&](int side, const std::vector<TimelineWindow>& windows) {
    const ClipExchange::Posted mine{clip_of(windows), long(windows.size())};
    const ClipExchange::Posted other = exchange.swap(side, mine);
    const ClipExchange::Posted& a = side == 0 ? mine : other;
    const ClipExchange::Posted& b = side == 0 ? other : mine;
    if (a.windows + b.windows > o.limits.max_windows) {
      if (side == 1) throw PartnerFailed{};  // the first says it
      char text[300];
      std::snprintf(text, sizeof text,
                    "this recording needs %ld windows of %s and %ld of %s, %ld in all; the limit is %ld "
                    "(--max-windows)",
                    a.windows, m.first->model().info().name.c_str(), b.windows,
                    m.second->model().info().name.c_str(), a.windows + b.windows, o.limits.max_windows);
      throw BothPassTheLimit{text};
    }
    auto chosen = fused_targets(a.clip, b.clip, o.top_k, pinned);
    if (side == 0) targets = chosen;
    return chosen;
  };
  first.more_targets = [&](const std::vector<TimelineWindow>& windows) { return meet(0, windows); };
  second.more_targets = [&](const std::vector<TimelineWindow>& windows) { return meet(1, windows); };
  // Each follows, as it reads, the classes both rank highest so far.
  first.follow_ranking = [&](std::span<const float> clip) {
    exchange.post_running(0, clip);
    return ranking_with(clip, exchange.running_of_other(0));
  };
  second.follow_ranking = [&](std::span<const float> clip) {
    exchange.post_running(1, clip);
    return ranking_with(clip, exchange.running_of_other(1));
  };
  // Each part keeps its own threads: a part given more threads midway would
  // round its sums otherwise and its maps would depend on the timing.
  // A part's own limit, said as the fused model's.
  const auto as_fused = [&](const Analyzer& part, const AnalysisOptions& options) {
    try {
      return run(part, options);
    } catch (const BothPassTheLimit& both) {
      throw Error(ErrorCode::too_many_windows, "the fused model counts both networks' windows: " + both.text);
    } catch (const Error& e) {
      if (e.code() == ErrorCode::too_many_windows)
        throw Error(e.code(), "the fused model counts both networks' windows, and " + part.model().info().name +
                                  " alone passes the limit: " + std::string(e.what()));
      if (e.code() == ErrorCode::timeout)
        throw Error(e.code(), std::string(e.what()) + " (the fused model's two networks run within it)");
      throw;
    }
  };
  std::optional<Analysis> first_done, second_done;
  std::exception_ptr first_error, second_error;
  std::thread beside([&] {
    try {
      set_inference_threads(own_threads[1]);
      second_done = as_fused(*m.second, second);
    } catch (...) {
      second_error = std::current_exception();
      exchange.fail();
    }
  });
  set_inference_threads(own_threads[0]);
  try {
    first_done = as_fused(*m.first, first);
  } catch (...) {
    first_error = std::current_exception();
    exchange.fail();
  }
  set_inference_threads(threads);
  beside.join();
  // The error that stopped a pass, not the partner's stop it caused.
  const auto caused = [](const std::exception_ptr& e) {
    try {
      std::rethrow_exception(e);
    } catch (const PartnerFailed&) {
      return false;
    } catch (...) {
      return true;
    }
  };
  if (first_error && caused(first_error)) std::rethrow_exception(first_error);
  if (second_error && caused(second_error)) std::rethrow_exception(second_error);
  if (first_error || second_error) throw Error(ErrorCode::internal, "fused analysis: each pass stopped for the other");
  return {std::move(*first_done), std::move(*second_done), std::move(targets)};
}

PartsDone run_parts(const FusedModels& m, const AnalysisOptions& o, std::span<const int> pinned, const RunPart& run) {
  const int threads = inference_threads();
  return threads >= 2 ? run_parts_together(m, o, pinned, run, threads) : run_parts_nested(m, o, pinned, run);
}

std::size_t windows_of(const Model& model, std::size_t samples, const AnalysisOptions& o) {
  const double w = model.info().window_s > 0 ? model.info().window_s : o.window_s;
  const double h = model.info().hop_s > 0 ? model.info().hop_s : o.hop_s;
  return plan_windows(samples, std::size_t(std::lround(w * kFrontEndInputRate)),
                      std::size_t(std::lround(h * kFrontEndInputRate)))
      .size();
}

// Events of the fused evidence, ending with the recording (its last frame may reach past it).
EventResult fused_events_of(const FusedModels& m, const PartsDone& done, std::span<const int> pinned,
                            const AnalysisEventOptions& events) {
  const double duration_s = done.first.duration_s;
  EventResult r = fused_events({m.first, &done.first.frames}, {m.second, &done.second.frames}, duration_s, pinned,
                               events);  // each class's rule of data/thresholds/fused.csv
  std::erase_if(r.events, [&](const Event& e) { return e.onset_s >= duration_s; });
  for (auto& e : r.events) e.offset_s = std::min(e.offset_s, duration_s);
  std::vector<std::string> labels;
  for (int c = 0; c < m.first->labels().size(); ++c) labels.push_back(m.first->labels().name(c));
  r.counts = count_events(r.events, pinned, labels, duration_s);
  return r;
}

void check_models(const FusedModels& m) {
  if (!m.first || !m.second || m.first->model().info().name != fused_model_parts()[0] ||
      m.second->model().info().name != fused_model_parts()[1])
    throw Error(ErrorCode::internal, "the fused model needs mn04_as and yamnet, in that order");
}

}  // namespace

const std::vector<std::string>& fused_model_parts() {
  static const std::vector<std::string> parts{"mn04_as", "yamnet"};
  return parts;
}

bool is_fused_model(std::string_view name) { return name == kFusedModelName; }

float fused_probability(float a, float b) {
  if (std::isnan(a)) return b;
  if (std::isnan(b)) return a;
  return std::max(a, b);
}

std::vector<int> fused_targets(std::span<const float> first_clip, std::span<const float> second_clip, int top_k,
                               std::span<const int> pinned) {
  std::vector<float> fused(first_clip.size());
  for (std::size_t c = 0; c < fused.size(); ++c)
    fused[c] = fused_probability(first_clip[c], c < second_clip.size() ? second_clip[c] : NAN);
  std::vector<int> targets = ranked(fused, top_k);
  for (int c : pinned)
    if (std::find(targets.begin(), targets.end(), c) == targets.end()) targets.push_back(c);
  return targets;
}

Analysis fuse_analyses(const Analysis& a, const Analysis& b, const Labels& labels, int top_k,
                       std::span<const int> targets) {
  if (a.probabilities.size() != b.probabilities.size() || int(a.probabilities.size()) != labels.size())
    throw Error(ErrorCode::internal, "fuse_analyses: both analyses need the same classes");
  Analysis out;
  out.model = std::string(kFusedModelName);
  out.models = {a.model, b.model};
  out.audio = a.audio;
  out.duration_s = a.duration_s;
  out.window_s = a.window_s;
  out.hop_s = a.hop_s;
  out.probabilities = fused_values(a.probabilities, b.probabilities);
  out.predictions = fused_predictions(a.probabilities, b.probabilities, labels, a.model, b.model, top_k);
  for (const auto& wa : a.timeline) {
    // The second's windows that overlap this one, at their maximum (the first's windows cover the recording,
    // so the timeline's maximum is the clip's).
    std::vector<float> heard(wa.probabilities.size(), NAN);
    for (const auto& wb : b.timeline) {
      if (wb.start_s >= wa.end_s || wb.end_s <= wa.start_s) continue;
      for (std::size_t c = 0; c < heard.size(); ++c) heard[c] = fused_probability(heard[c], wb.probabilities[c]);
    }
    TimelineWindow w;
    w.start_s = wa.start_s;
    w.end_s = wa.end_s;
    w.probabilities = fused_values(wa.probabilities, heard);
    w.predictions = fused_predictions(wa.probabilities, heard, labels, a.model, b.model, top_k);
    out.timeline.push_back(std::move(w));
  }
  for (int c : targets)
    for (const Analysis* part : {&a, &b})
      for (const auto& e : part->explanations)
        if (e.target.index == c) {
          Explanation tagged = e;
          tagged.model = part->model;
          out.explanations.push_back(std::move(tagged));
          break;
        }
  for (const Analysis* part : {&a, &b})
    for (const auto& [stage, ms] : part->timings_ms)
      if (stage != "analysis") out.timings_ms[stage] += ms;
  for (const Analysis* part : {&a, &b})  // the parts ran one inside the other, or side by side
    if (auto it = part->timings_ms.find("analysis"); it != part->timings_ms.end())
      out.timings_ms["analysis"] = std::max(out.timings_ms["analysis"], it->second);
  out.overview = a.overview;
  return out;
}

void check_fused_windows(const FusedModels& m, std::size_t samples, const AnalysisOptions& o) {
  check_models(m);
  const std::size_t first = windows_of(m.first->model(), samples, o), second = windows_of(m.second->model(), samples, o);
  if (long(first + second) <= o.limits.max_windows) return;
  char text[300];
  std::snprintf(text, sizeof text,
                "the fused model runs both networks: this recording would need %zu windows of %s and %zu of %s, %zu "
                "in all; the limit is %ld (--max-windows)",
                first, m.first->model().info().name.c_str(), second, m.second->model().info().name.c_str(),
                first + second, o.limits.max_windows);
  throw Error(ErrorCode::too_many_windows, text);
}

StreamedAnalysis fused_analyze(const FusedModels& m, const Audio& audio, const AnalysisOptions& options,
                               const AnalysisEventOptions& events) {
  check_models(m);
  const std::vector<int> pinned = pinned_classes(options, m.first->labels());
  if (audio.sample_rate == kFrontEndInputRate) check_fused_windows(m, audio.samples.size(), options);
  PartsDone done = run_parts(m, options, pinned, [&](const Analyzer& a, const AnalysisOptions& o) {
    return a.analyze(audio, o);
  });
  const auto started = Clock::now();
  StreamedAnalysis out;
  out.events.result = fused_events_of(m, done, pinned, events);
  out.analysis = fuse_analyses(done.first, done.second, m.first->labels(), options.top_k, done.targets);
  out.events.quality = quality_flags(audio, out.analysis);
  out.events.elapsed_ms = seconds_since(started) * 1e3;
  return out;
}

StreamedAnalysis fused_analyze_stream(const FusedModels& m, const SampleReader& read, const AnalysisOptions& options,
                                      const AnalysisEventOptions& events) {
  check_models(m);
  const std::vector<int> pinned = pinned_classes(options, m.first->labels());
  QualityMeter meter(kFrontEndInputRate);
  const SampleSink observe = [&](std::span<const float> block) { meter.push(block); };
  PartsDone done = run_parts(m, options, pinned, [&](const Analyzer& a, const AnalysisOptions& o) {
    const std::vector<AnalysisOptions> runs{o};
    // The first model's first reading measures the quality; the others read the same samples again.
    // Each part decodes on a thread beside its analysis (its own inference has one thread of the two).
    return std::move(a.analyze_stream(read_ahead(read), runs, &a == m.first ? &observe : nullptr).front());
  });
  const auto started = Clock::now();
  StreamedAnalysis out;
  out.events.result = fused_events_of(m, done, pinned, events);
  out.analysis = fuse_analyses(done.first, done.second, m.first->labels(), options.top_k, done.targets);
  out.events.quality = quality_flags(meter.finish(), out.analysis);
  out.events.elapsed_ms = seconds_since(started) * 1e3;
  return out;
}

}  // namespace soundlens
