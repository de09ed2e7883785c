#include "robustness/robustness.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>

#include "core/error.h"

namespace soundlens {
namespace {

std::string fixed2(double v) {
  char text[16];
  std::snprintf(text, sizeof text, "%.2f", v);
  return text;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i)
    out += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
  return out;
}

}  // namespace

RobustnessResult robustness(const Analyzer& analyzer, const Audio& audio, const RobustnessOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  RobustnessResult r;
  const auto clean = analyzer.embed(audio, o.windows).clip;
  r.classes = o.classes;
  if (r.classes.empty()) {
    int best = -1;
    for (std::size_t c = 0; c < clean.size(); ++c)
      if (!std::isnan(clean[c]) && (best < 0 || clean[c] > clean[std::size_t(best)])) best = int(c);
    r.classes.push_back(best);
  }
  for (int c : r.classes) {
    if (c < 0 || c >= int(clean.size()) || std::isnan(clean[std::size_t(c)]))
      throw Error(ErrorCode::bad_request, "the model has no output for class " + std::to_string(c));
    r.labels.push_back(analyzer.labels().name(c));
    r.clean.push_back(clean[std::size_t(c)]);
  }
  std::uint64_t seed = o.seed;
  for (const auto& p : standard_perturbations()) {
    auto samples = perturb(audio.samples, audio.sample_rate, p, seed++);
    if (!samples) {  // only the own background can fail: said once for its four levels
      const std::string why = audio.duration_s() < 2 ? "the recording is shorter than 2 s"
                                                     : "its quietest second is digital silence, so it has no background";
      const std::string line = "its own background noise (20 to 0 dB SNR): " + why;
      if (std::find(r.skipped.begin(), r.skipped.end(), line) == r.skipped.end()) r.skipped.push_back(line);
      continue;
    }
    Audio changed;
    changed.samples = std::move(*samples);
    changed.sample_rate = audio.sample_rate;
    changed.source = audio.source;
    const auto all = analyzer.embed(changed, o.windows).clip;
    RobustnessRow row{p, {}};
    for (int c : r.classes) row.probability.push_back(all[std::size_t(c)]);
    r.rows.push_back(std::move(row));
  }
  for (std::size_t k = 0; k < r.classes.size(); ++k) r.sentences.push_back(robustness_sentence(r, k));
  r.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

nlohmann::json robustness_to_json(const RobustnessResult& r) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : r.rows)
    rows.push_back({{"family", row.perturbation.family},
                    {"condition", row.perturbation.condition},
                    {"level", row.perturbation.level},
                    {"probability", row.probability}});
  return {{"classes", r.labels}, {"indices", r.classes}, {"as_recorded", r.clean}, {"changes", rows},
          {"skipped", r.skipped}, {"sentences", r.sentences}, {"elapsed_ms", r.elapsed_ms}};
}

std::string robustness_sentence(const RobustnessResult& r, std::size_t k) {
  const double clean = r.clean[k];
  const double mark = clean >= 0.5 ? 0.5 : clean / 2;
  const std::string mark_text = clean >= 0.5 ? "0.5" : "half its probability (" + fixed2(mark) + ")";
  const std::string head = r.labels[k] + " (" + fixed2(clean) + " as recorded) ";
  if (clean <= 0) return head + "is not heard at all.";
  // Per kind of noise, in the order measured (20 dB down): the lowest SNR it holds at before the first fall.
  struct NoiseHold {
    std::string name;
    std::optional<double> lowest;
    std::optional<std::pair<double, float>> first_fall;  // SNR, probability
  };
  std::vector<NoiseHold> noises;
  std::vector<std::string> holds, falls, rises;
  for (const auto& row : r.rows) {
    const auto& p = row.perturbation;
    const bool held = row.probability[k] >= mark;
    // A class under 0.5 that a change lifts over it: what the change makes the model hear.
    if (clean < 0.5 && row.probability[k] >= 0.5) rises.push_back(p.condition + " (" + fixed2(row.probability[k]) + ")");
    if (p.family == "white noise" || p.family == "pink noise" || p.family == "own background") {
      const std::string name = p.family == "own background" ? "its own background" : p.family.substr(0, p.family.find(' '));
      if (noises.empty() || noises.back().name != name) noises.push_back({name, {}, {}});
      auto& n = noises.back();
      if (n.first_fall) continue;
      if (held) n.lowest = p.level;
      else n.first_fall = std::make_pair(p.level, row.probability[k]);
    } else if (held) {
      holds.push_back(p.condition);
    } else {
      falls.push_back(p.condition + " (" + fixed2(row.probability[k]) + ")");
    }
  }
  std::vector<std::string> noise_holds, noise_falls;
  for (const auto& n : noises) {
    char text[96];
    if (!n.first_fall) {
      std::snprintf(text, sizeof text, "%s noise down to %g dB SNR", n.name.c_str(), n.lowest.value_or(0));
      noise_holds.push_back(text);
    } else if (!n.lowest) {
      std::snprintf(text, sizeof text, "%s noise already at %g dB SNR (%.2f)", n.name.c_str(), n.first_fall->first,
                    n.first_fall->second);
      noise_falls.push_back(text);
    } else {
      std::snprintf(text, sizeof text, "%s noise at %g dB SNR (%.2f; it held at %g dB)", n.name.c_str(),
                    n.first_fall->first, n.first_fall->second, *n.lowest);
      noise_falls.push_back(text);
    }
  }
  holds.insert(holds.begin(), noise_holds.begin(), noise_holds.end());
  falls.insert(falls.end(), noise_falls.begin(), noise_falls.end());
  if (clean < 0.5 && mark > clean) return head + "is below " + mark_text + " already.";
  std::string s = head;
  if (!holds.empty()) s += "stays above " + mark_text + " with " + join(holds);
  if (!falls.empty()) s += std::string(holds.empty() ? "falls below " + mark_text + " with " : "; it falls below with ") + join(falls);
  if (!rises.empty()) s += "; it rises above 0.5 with " + join(rises);
  return s + ".";
}

}  // namespace soundlens
