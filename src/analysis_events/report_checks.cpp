#include "analysis_events/report_checks.h"

#include <cmath>
#include <cstdio>
#include <optional>
#include <vector>

namespace soundlens {
namespace {

using nlohmann::json;

std::string fixed(double v, const char* format = "%.2f") {
  char text[32];
  std::snprintf(text, sizeof text, format, v);
  return text;
}

std::string percent(double p) { return fixed(100 * p, "%.0f %%"); }

// A number of an object, if it is one (a null, absent or text value is not).
std::optional<double> number(const json& object, const char* name) {
  if (!object.is_object()) return std::nullopt;
  const auto it = object.find(name);
  return it != object.end() && it->is_number() ? std::optional(it->get<double>()) : std::nullopt;
}

std::string label_of(const json& e) {
  const auto it = e.find("label");
  return it != e.end() && it->is_string() ? it->get<std::string>() : std::string("the class");
}

const json* check(const json& e, const char* name) {
  const auto it = e.find(name);
  return it != e.end() && it->is_object() ? &*it : nullptr;
}

// What was explained: the recording, or an event's window of it (explanation?event=N).
std::string explained_audio(const json& e) { return e.contains("window") ? "this event's window" : "this recording"; }

}  // namespace

std::string faithfulness_words(const json& e) {
  const json* f = check(e, "faithfulness");
  if (!f) return "";
  const std::string label = label_of(e);
  const auto score = number(*f, "score"), random = number(*f, "random_score");
  if (!score || f->value("absent_class", false))
    return "Faithfulness: no verdict, " + label + " is absent from " + explained_audio(e) +
           ", so removing parts of it cannot show "
           "what the model uses for it.";
  const double margin = *score - random.value_or(0.0);
  const std::string verdict = margin >= kFaithfulnessMargin    ? "clearly better than a random map"
                              : margin <= -kFaithfulnessMargin ? "worse than a random map: do not rely on it"
                                                               : "not clearly better than a random map: do not rely on it";
  return "Faithfulness " + fixed(*score) +
         (random ? " against " + fixed(*random) + " for a random map of the same cells" : ", no random map to compare with") +
         ", a margin of " + fixed(margin, "%+.2f") + " (at least " + fixed(kFaithfulnessMargin) + " is needed): " + verdict +
         ". The score is how much more of " + label + " survives removing the map's least important cells than its most "
         "important ones, as a share of its probability: 0 is what a random map scores, 1 means the top cells carry all of it.";
}

std::string sanity_words(const json& e) {
  const json* s = check(e, "sanity");
  if (!s) return "";
  std::string steps;
  if (const auto it = s->find("steps"); it != s->end() && it->is_array())
    for (const auto& step : *it) {
      const auto rho = number(step, "spearman");
      steps += std::string(steps.empty() ? "" : "; ") + step.value("randomised", std::string("a layer")) + " randomised: " +
               (rho ? fixed(*rho) : std::string("a flat map"));
    }
  const bool passed = s->value("passed", false);
  return std::string("Sanity check ") +
         (passed ? "passed: with the model's weights randomised the map ranks the cells differently, so it depends on "
                   "what the model learnt"
                 : "failed: with the model's weights randomised the map keeps much the same order, so it shows the "
                   "recording more than what the model learnt; do not rely on it") +
         (steps.empty() ? "" : " (rank correlation with the trained model's map, 1 = the same order, 0 = unrelated: " +
                                   steps + ")") +
         ".";
}

std::string listening_words(const json& e) {
  const json* l = check(e, "listen");
  if (!l) return "";
  const std::string label = label_of(e);
  const auto kept = number(*l, "kept_probability"), removed = number(*l, "removed_probability");
  if (l->value("absent_class", false))
    return "Listening: no verdict, " + label + " is absent from " + explained_audio(e) + ".";
  std::string s = "Listening: the model gives " + label + " " + (kept ? percent(*kept) : std::string("(not said)")) +
                  " on the part of the sound the map keeps and " + (removed ? percent(*removed) : std::string("(not said)")) +
                  " on the rest";
  if (const auto share = number(*l, "kept_fraction"); share && l->contains("keeps_class")) {
    const std::string keep = percent(l->value("keep_fraction", 0.8)) + " of its probability";
    s += l->value("keeps_class", false)
             ? "; the part kept, the smallest from the map's top that keeps " + keep + ", is " + percent(*share) +
                   " of the spectrogram"
             : "; no part from the map's top that was tried keeps " + keep;
  }
  return s + ".";
}

std::string checks_words(const json& e) {
  std::string out;
  std::vector<std::string> missing;
  const auto add = [&](const std::string& words, const char* name) {
    if (words.empty()) missing.push_back(name);
    else out += (out.empty() ? "" : " ") + words;
  };
  add(faithfulness_words(e), "faithfulness");
  add(sanity_words(e), "sanity check");
  add(listening_words(e), "listening");
  if (!missing.empty()) {
    std::string names;
    for (std::size_t i = 0; i < missing.size(); ++i)
      names += (i == 0 ? "" : i + 1 == missing.size() ? " and " : ", ") + missing[i];
    out += (out.empty() ? "" : " ") + std::string("Not computed: ") + names + ".";
  }
  return out;
}

}  // namespace soundlens
