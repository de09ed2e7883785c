#include "train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <sstream>

#include "audio/audio.h"
#include "core/build_info.h"
#include "core/error.h"
#include "model/trained_head.h"
#include "train/calibration.h"
#include "train/embedding_cache.h"
#include "train/event_thresholds.h"

namespace soundlens {
namespace {

using Clock = std::chrono::steady_clock;
constexpr double kClearlyBetterF1 = 0.01;
double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

struct UsableFile {
  const LabelledFile* file = nullptr;
  FileEmbeddings embeddings;
  int fold = 0;
};

std::string cache_key(const Analyzer& base, const AnalysisOptions& o) {
  const auto& info = base.model().info();
  std::ostringstream key;
  key << info.name << '-' << info.weights_sha256.substr(0, 16) << "-w" << std::lround(o.window_s * 1000) << "-h"
      << std::lround(o.hop_s * 1000);
  return key.str();
}

std::vector<UsableFile> embed_files(const LabelledFolder& folder, const Embedder& embedder, const TrainOptions& o,
                                    TrainReport& report) {
  const EmbeddingCache cache(o.cache_dir, embedder.cache_key);
  std::vector<UsableFile> usable;
  for (const auto& f : folder.files) {
    const auto t0 = Clock::now();
    UsableFile u;
    u.file = &f;
    if (auto cached = cache.get(f.sha256)) {
      u.embeddings = std::move(*cached);
      ++report.cached;
      if (o.on_file) o.on_file(f, "cached", seconds_since(t0));
    } else {
      try {
        u.embeddings = embedder.embed(decode_file(f.path));
        cache.put(f.sha256, u.embeddings);
        if (o.on_file) o.on_file(f, "ok", seconds_since(t0));
      } catch (const Error& e) {
        report.skipped.push_back(f.relative + ": " + e.what());
        if (o.on_file) o.on_file(f, std::string("skipped: ") + e.what(), seconds_since(t0));
        continue;
      }
    }
    usable.push_back(std::move(u));
  }
  return usable;
}

// Per class (the negative class as -1), files dealt round robin after a seeded shuffle.
int assign_folds(std::vector<UsableFile>& files, const LabelledFolder& folder, int wanted, std::uint64_t seed) {
  std::map<int, std::vector<std::size_t>> by_class;
  for (std::size_t i = 0; i < files.size(); ++i)
    by_class[files[i].file->labels.empty() ? -1 : files[i].file->labels.front()].push_back(i);
  for (int c = 0; c < int(folder.classes.size()); ++c)
    if (by_class[c].size() < 2)
      throw Error(ErrorCode::bad_request, "the label '" + folder.classes[std::size_t(c)] + "' has " +
                                              std::to_string(by_class[c].size()) +
                                              " usable file(s); cross-validation needs at least 2 per label");
  if (folder.negative_class && by_class[-1].size() < 2)
    throw Error(ErrorCode::bad_request, "the negative folder has fewer than 2 usable files; add some or remove it");
  std::size_t smallest = files.size();
  for (const auto& [c, members] : by_class) smallest = std::min(smallest, members.size());
  const int folds = std::clamp(int(smallest), 2, std::max(2, wanted));
  std::mt19937_64 rng(seed);
  int next = 0;
  for (auto& [c, members] : by_class) {
    std::shuffle(members.begin(), members.end(), rng);
    for (std::size_t i = 0; i < members.size(); ++i) files[members[i]].fold = (next + int(i)) % folds;
    next = (next + int(members.size())) % folds;
  }
  return folds;
}

// The rows (windows) of the files `take` accepts, weighted so that each file counts once and each class equally.
struct Rows {
  std::vector<float> x, multi;
  std::vector<int> single;
  std::vector<float> weight;
  int count = 0;
};

Rows rows_of(const std::vector<UsableFile>& files, const LabelledFolder& folder, int scores,
             const std::function<bool(const UsableFile&)>& take) {
  std::map<int, double> per_class;
  for (const auto& f : files)
    if (take(f)) per_class[f.file->labels.empty() ? -1 : f.file->labels.front()] += 1;
  Rows r;
  const int classes = int(folder.classes.size());
  for (const auto& f : files) {
    if (!take(f)) continue;
    const int first = f.file->labels.empty() ? -1 : f.file->labels.front();
    const float w = float((folder.multi_label ? 1.0 : 1.0 / per_class[first]) / f.embeddings.windows);
    for (int k = 0; k < f.embeddings.windows; ++k) {
      const auto* row = f.embeddings.values.data() + std::size_t(k) * std::size_t(f.embeddings.size);
      r.x.insert(r.x.end(), row, row + f.embeddings.size);
      if (folder.multi_label) {
        std::vector<float> t(std::size_t(scores), 0.0f);
        for (int c : f.file->labels) t[std::size_t(c)] = 1;
        r.multi.insert(r.multi.end(), t.begin(), t.end());
      } else {
        r.single.push_back(first < 0 ? classes : first);
      }
      r.weight.push_back(w);
      ++r.count;
    }
  }
  return r;
}

TrainedHead fit(const Rows& r, int dims, int scores, const LabelledFolder& folder, int hidden, std::uint64_t seed) {
  HeadTrainingData d;
  d.embeddings = r.x;
  d.rows = r.count;
  d.dims = dims;
  d.scores = scores;
  d.multi_label = folder.multi_label;
  d.negative_class = folder.negative_class && !folder.multi_label;
  d.multi_targets = r.multi;
  d.single_targets = r.single;
  d.sample_weight = r.weight;
  HeadTrainingOptions o;
  o.hidden = hidden;
  o.seed = seed;
  return train_head(d, o);
}

std::vector<float> mean_scores(const TrainedHead& head, const FileEmbeddings& e) {
  std::vector<float> sum;
  for (int k = 0; k < e.windows; ++k) {
    const auto s = head_scores(head, std::span<const float>(e.values.data() + std::size_t(k) * std::size_t(e.size),
                                                            std::size_t(e.size)));
    if (sum.empty()) sum.assign(s.size(), 0.0f);
    for (std::size_t i = 0; i < s.size(); ++i) sum[i] += s[i] / float(e.windows);
  }
  return sum;
}

struct HeldOut {
  TrainedHead shape;  // the mapping of scores to logits (multi_label, negative_class)
  CalibrationData data;
  HeldOutWindows windows;  // each window's held-out scores, for the event thresholds
  std::vector<int> fold;
};

std::vector<std::vector<float>> window_scores(const TrainedHead& head, const FileEmbeddings& e) {
  std::vector<std::vector<float>> out;
  for (int k = 0; k < e.windows; ++k)
    out.push_back(head_scores(head, std::span<const float>(e.values.data() + std::size_t(k) * std::size_t(e.size),
                                                           std::size_t(e.size))));
  return out;
}

HeldOut cross_validate(const std::vector<UsableFile>& files, const LabelledFolder& folder, int folds, int dims,
                       int scores, int hidden, std::uint64_t seed) {
  HeldOut out;
  out.data.scores.resize(files.size());
  out.windows.scores.resize(files.size());
  for (int k = 0; k < folds; ++k) {
    const auto rows = rows_of(files, folder, scores, [k](const UsableFile& f) { return f.fold != k; });
    const auto head = fit(rows, dims, scores, folder, hidden, seed + std::uint64_t(k));
    out.shape = head;
    for (std::size_t i = 0; i < files.size(); ++i)
      if (files[i].fold == k) {
        out.data.scores[i] = mean_scores(head, files[i].embeddings);
        out.windows.scores[i] = window_scores(head, files[i].embeddings);
      }
  }
  for (const auto& f : files) {
    out.windows.truth.push_back(f.file->labels);
    out.data.truth.push_back(f.file->labels);
    out.fold.push_back(f.fold);
  }
  return out;
}

std::vector<ScoredFile> scored(const HeldOut& h, const std::function<Calibration(std::size_t)>& calibration_of) {
  std::vector<ScoredFile> files;
  for (std::size_t i = 0; i < h.data.scores.size(); ++i)
    files.push_back({h.data.truth[i], calibrated_probabilities(h.shape, h.data.scores[i], calibration_of(i))});
  return files;
}

// Each fold's files calibrated by what the other folds' held-out scores fit: calibration never sees the files it is judged on.
std::vector<ScoredFile> honestly_calibrated(const HeldOut& h, int folds) {
  std::vector<Calibration> per_fold;
  for (int k = 0; k < folds; ++k) {
    CalibrationData others;
    for (std::size_t i = 0; i < h.data.scores.size(); ++i)
      if (h.fold[i] != k) others.scores.push_back(h.data.scores[i]), others.truth.push_back(h.data.truth[i]);
    per_fold.push_back(fit_calibration(h.shape, others));
  }
  return scored(h, [&](std::size_t i) { return per_fold[std::size_t(h.fold[i])]; });
}

std::string utc_now() {
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

}  // namespace

std::vector<float> file_scores(const TrainedHead& head, const std::vector<float>& windows, int size) {
  FileEmbeddings e{int(windows.size() / std::size_t(size)), size, windows};
  const auto s = mean_scores(head, e);
  Calibration c{head.temperature, head.platt_a, head.platt_b};
  return calibrated_probabilities(head, s, c);
}

Embedder network_embedder(const Analyzer& base, const AnalysisOptions& windows) {
  if (!base.model().info().class_names.empty())
    throw Error(ErrorCode::bad_request, "a trained model cannot be the base of another; use mn04_as, yamnet or cnn14");
  return {base.model().info().name, base.model().info().weights_sha256, cache_key(base, windows),
          [&base, windows](const Audio& audio) {
            const auto e = base.embed(audio, windows);
            return FileEmbeddings{int(e.spans.size()), e.size, e.values};
          }};
}

Embedder paired_embedder(const Analyzer& first, const Analyzer& second, const AnalysisOptions& windows) {
  const auto a = network_embedder(first, windows), b = network_embedder(second, windows);
  return {a.base_model + "+" + b.base_model, a.base_sha256 + "+" + b.base_sha256, a.cache_key + "+" + b.cache_key,
          [&first, &second, windows](const Audio& audio) {
            const auto e1 = first.embed(audio, windows);
            const auto e2 = second.embed(audio, windows);
            FileEmbeddings out{int(e1.spans.size()), e1.size + e2.size, {}};
            for (std::size_t k = 0; k < e1.spans.size(); ++k) {
              const auto& w = e1.spans[k];
              std::vector<double> mean(std::size_t(e2.size), 0.0);
              int count = 0;
              for (const bool inside_only : {true, false}) {
                for (std::size_t j = 0; j < e2.spans.size(); ++j) {
                  const auto& p = e2.spans[j];
                  const bool take = inside_only ? p.start >= w.start && p.start + p.length <= w.start + w.length
                                                : p.start < w.start + w.length && p.start + p.length > w.start;
                  if (!take) continue;
                  for (int v = 0; v < e2.size; ++v) mean[std::size_t(v)] += e2.values[j * std::size_t(e2.size) + std::size_t(v)];
                  ++count;
                }
                if (count > 0) break;
              }
              if (count == 0) throw Error(ErrorCode::internal, "no window of " + second.model().info().name +
                                                                   " meets a window of " + first.model().info().name);
              out.values.insert(out.values.end(), e1.values.begin() + std::ptrdiff_t(k * std::size_t(e1.size)),
                                e1.values.begin() + std::ptrdiff_t((k + 1) * std::size_t(e1.size)));
              for (double v : mean) out.values.push_back(float(v / count));
            }
            return out;
          }};
}

TrainReport train_classifier(const LabelledFolder& folder, const Analyzer& base, const TrainOptions& o,
                             const std::string& name) {
  return train_classifier(folder, network_embedder(base, o.windows), o, name);
}

TrainReport train_classifier(const LabelledFolder& folder, const Embedder& embedder, const TrainOptions& o,
                             const std::string& name) {
  TrainReport report;
  report.skipped = folder.skipped;
  auto t0 = Clock::now();
  auto files = embed_files(folder, embedder, o, report);
  report.embed_s = seconds_since(t0);
  if (files.empty()) throw Error(ErrorCode::bad_request, "no file of the folder could be used (see the skipped list)");
  const int dims = files.front().embeddings.size;
  const int classes = int(folder.classes.size());
  const int scores = classes + (folder.negative_class && !folder.multi_label ? 1 : 0);
  report.folds = assign_folds(files, folder, o.folds, o.seed);
  report.files = int(files.size());
  for (const auto& f : files) report.windows += f.embeddings.windows;

  t0 = Clock::now();
  const std::vector<int> candidates = o.hidden >= 0 ? std::vector<int>{o.hidden} : std::vector<int>{0, 128};
  HeldOut best;
  Metrics best_metrics;
  int best_hidden = -1;
  std::ostringstream choice;
  const Calibration none;
  for (int hidden : candidates) {
    auto held = cross_validate(files, folder, report.folds, dims, scores, hidden, o.seed);
    const auto m = score_files(scored(held, [&](std::size_t) { return none; }), folder.classes, folder.multi_label,
                               folder.negative_class);
    choice << (choice.tellp() > 0 ? ", " : "") << (hidden == 0 ? "logistic" : "mlp " + std::to_string(hidden))
           << " macro F1 " << std::round(m.macro_f1 * 1000) / 1000;
    // The simpler head unless the larger one is better by a clear margin on the held-out folds.
    if (best_hidden < 0 || m.macro_f1 > best_metrics.macro_f1 + kClearlyBetterF1) {
      best = std::move(held), best_metrics = m, best_hidden = hidden;
    }
  }
  report.head_choice = (best_hidden == 0 ? std::string("logistic regression") : "an MLP of " + std::to_string(best_hidden)) +
                       (candidates.size() > 1 ? " (held-out folds: " + choice.str() + "; the MLP only when better by 0.01)"
                                              : " (asked for)");
  report.before = best_metrics;
  report.after = score_files(honestly_calibrated(best, report.folds), folder.classes, folder.multi_label,
                             folder.negative_class);
  report.calibration = folder.multi_label
                           ? "Platt scaling per class (each class's sigmoid is a decision of its own)"
                           : "temperature scaling (one parameter: cannot overfit a few files, and keeps every prediction)";

  // Calibration is kept only when it lowers the held-out error; a head already calibrated on few files
  // (all right on the held-out folds, say) would only be made less so.
  report.calibrated_ece = report.after.ece;
  const bool calibrate = report.after.ece < report.before.ece;
  report.calibrated = calibrate;
  if (!calibrate) {
    report.calibration = "none: " + report.calibration + " did not lower the expected calibration error of the "
                         "held-out folds, so the head is left as trained";
    report.after = report.before;
  }
  const auto all_rows = rows_of(files, folder, scores, [](const UsableFile&) { return true; });
  auto head = fit(all_rows, dims, scores, folder, best_hidden, o.seed);
  const auto calibration = calibrate ? fit_calibration(best.shape, best.data) : Calibration{};
  apply_calibration(head, calibration);
  report.fit_s = seconds_since(t0);

  auto& m = report.model;
  m.name = name;
  m.base_model = embedder.base_model;
  m.base_sha256 = embedder.base_sha256;
  m.labels = folder.classes;
  m.head = std::move(head);
  m.calibration = {{"method", !calibrate ? "none" : folder.multi_label ? "platt" : "temperature"},
                   {"why", report.calibration},
                   {"fitted_on", "the held-out folds' scores of the cross-validation"},
                   {"temperature", calibration.temperature},
                   {"platt_a", calibration.a},
                   {"platt_b", calibration.b},
                   {"ece_before", report.before.ece},
                   {"ece_after", report.after.ece},
                   {"ece_if_calibrated", report.calibrated_ece}};
  nlohmann::json listed = nlohmann::json::array();
  for (const auto& f : files) {
    std::vector<std::string> labels;
    for (int c : f.file->labels) labels.push_back(folder.classes[std::size_t(c)]);
    listed.push_back({{"file", f.file->relative}, {"sha256", f.file->sha256}, {"labels", labels},
                      {"windows", f.embeddings.windows}, {"fold", f.fold}});
  }
  m.training = {{"files", listed},
                {"skipped", report.skipped},
                {"multi_label", folder.multi_label},
                {"negative_class", folder.negative_class},
                {"folds", report.folds},
                {"seed", o.seed},
                {"window_s", o.windows.window_s},
                {"hop_s", o.windows.hop_s},
                {"head_choice", report.head_choice},
                {"date", utc_now()},
                {"soundlens_commit", build_commit()}};
  // Events: each class's threshold where the held-out files are best told apart by their strongest window,
  // as the written model reports it (with the calibration kept, fitted on the same held-out scores).
  m.event_thresholds = fit_event_thresholds(best.shape, calibration, best.windows);
  m.event_thresholds_fitted_on = "Fitted on the held-out folds of a " + std::to_string(report.folds) +
                                 "-fold cross-validation by file (" + std::to_string(report.files) + " files).";
  m.metrics = metrics_json(report.after);
  m.metrics["before_calibration"] = metrics_json(report.before);
  m.metrics["evaluated_on"] = "held-out folds of a " + std::to_string(report.folds) + "-fold cross-validation by file";
  return report;
}

}  // namespace soundlens
