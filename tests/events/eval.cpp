#include "eval.h"

#include <algorithm>
#include <cmath>

namespace soundlens::eval {

Analysed analyse(const Analyzer& analyzer, const Audio& audio, double window_s, double hop_s,
                 const std::vector<int>& pinned) {
  AnalysisOptions o;
  o.top_k = 5;
  o.window_s = window_s;
  o.hop_s = hop_s;
  for (int c : pinned) o.classes.push_back(std::to_string(c));
  const auto a = analyzer.analyze(audio, o);
  // The mel centres are the front end's: one second of silence gives them.
  const auto centres = analyzer.model().frontend().compute(std::vector<float>(32000, 0.0f)).center_hz;
  Analysed out;
  out.timeline = a.timeline;
  out.duration_s = a.duration_s;
  out.profiles = profiles_from_analysis(a, centres, pinned);
  return out;
}

void score_scene(const std::vector<TruthEvent>& truth, int scene, const std::vector<Event>& events,
                 const std::vector<int>& watched, double tolerance_s, Score& total) {
  std::vector<const TruthEvent*> here;
  for (const auto& t : truth)
    if (t.scene == scene) here.push_back(&t);
  std::vector<const Event*> found;
  for (const auto& e : events)
    if (std::find(watched.begin(), watched.end(), e.index) != watched.end()) found.push_back(&e);
  // Candidate pairs, closest onsets first.
  struct Pair {
    double distance;
    std::size_t truth, event;
  };
  std::vector<Pair> pairs;
  for (std::size_t t = 0; t < here.size(); ++t)
    for (std::size_t e = 0; e < found.size(); ++e) {
      const auto& accepts = here[t]->accepts;
      const double d = std::fabs(found[e]->onset_s - here[t]->onset_s);
      if (d <= tolerance_s && std::find(accepts.begin(), accepts.end(), found[e]->index) != accepts.end())
        pairs.push_back({d, t, e});
    }
  std::sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) { return a.distance < b.distance; });
  std::vector<int> truth_class(here.size(), -1);  // the class that matched it
  std::vector<int> event_state(found.size(), 0);  // 0 unmatched, 1 matched, 2 ignored (another accepted class)
  for (const auto& p : pairs) {
    if (event_state[p.event] != 0) continue;
    if (truth_class[p.truth] < 0) {
      truth_class[p.truth] = found[p.event]->index;
      event_state[p.event] = 1;
    } else if (truth_class[p.truth] != found[p.event]->index) {
      event_state[p.event] = 2;
    }
  }
  total.truths += int(here.size());
  for (std::size_t e = 0; e < found.size(); ++e) {
    if (event_state[e] == 2) continue;
    ++total.detections;
    (event_state[e] == 1 ? total.true_positives : total.false_positives) += 1;
  }
  int coughs_true = 0, coughs_found = 0;
  for (const auto* t : here) coughs_true += t->index == 47;
  for (const auto* e : found) coughs_found += e->index == 47;
  total.coughs_true += coughs_true;
  total.coughs_found += coughs_found;
  total.cough_count_abs_error += std::abs(coughs_found - coughs_true);
}

}  // namespace soundlens::eval
